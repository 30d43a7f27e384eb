-- Argo CD health of a Fieldproof ModelRollout (fieldproof.io/v1alpha1), read from its status.
-- Lua 5.1, as Argo CD runs it (gopher-lua); testdata/ and health_test.yaml are in Argo CD's format.
local hs = {}

local function condition(status, kind)
  if status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == kind then
      return c
    end
  end
  return nil
end

local function result(health, message)
  hs.status = health
  hs.message = message
  return hs
end

local status = obj.status
if status == nil or status.phase == nil then
  return result("Progressing", "Waiting for the Fieldproof operator to report the rollout's status")
end
local generation = obj.metadata.generation
if generation ~= nil and (status.observedGeneration == nil or status.observedGeneration < generation) then
  return result("Progressing", "Waiting for the Fieldproof operator to observe generation " .. generation)
end

local phase = status.phase
local message = phase .. ": " .. (status.message or "")
if phase == "Succeeded" or phase == "Superseded" then
  return result("Healthy", message)
end
if phase == "Failed" or phase == "RolledBack" then
  return result("Degraded", message)
end
if phase == "Paused" then
  local progressing = condition(status, "Progressing")
  if progressing ~= nil and (progressing.reason == "GateFailed" or progressing.reason == "Aborted") then
    return result("Degraded", message)
  end
  return result("Suspended", message)
end
return result("Progressing", message)
