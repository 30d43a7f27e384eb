-- Argo CD health of a Fieldproof DeviceGroup (fieldproof.io/v1alpha1), read from its conditions.
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
if status == nil or status.observedGeneration == nil then
  return result("Progressing", "Waiting for the Fieldproof operator to report the group's status")
end
if obj.metadata.generation ~= nil and status.observedGeneration < obj.metadata.generation then
  return result("Progressing", "Waiting for the Fieldproof operator to observe generation " .. obj.metadata.generation)
end

local conflict = condition(status, "Conflict")
if conflict ~= nil and conflict.status == "True" then
  return result("Degraded", "Conflict: " .. (conflict.message or ""))
end
local degraded = condition(status, "Degraded")
if degraded ~= nil and degraded.status == "True" then
  return result("Degraded", "Degraded: " .. (degraded.message or ""))
end
local ready = condition(status, "Ready")
if ready == nil then
  return result("Progressing", "Waiting for the Ready condition")
end
if ready.status == "True" then
  local text = ready.message or ""
  local drifting = condition(status, "Drifting")
  if drifting ~= nil and drifting.status == "True" then
    text = text .. "; " .. (drifting.message or "inputs drifting")
  end
  return result("Healthy", text)
end
if ready.reason == "NoMembers" then
  return result("Progressing", "NoMembers: " .. (ready.message or ""))
end
return result("Degraded", (ready.reason or "NotReady") .. ": " .. (ready.message or ""))
