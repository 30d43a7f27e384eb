# The demo's field-data loop (docs/field-data.md), sourced by scripts/demo.sh after its rollouts:
# pumps on line 7 run the lab's model (dense_anomaly, vibration-anomaly 1.3.0) in the field, where
# three of them run at low load (normal, but an anomaly to the lab model), two have a real bearing
# fault and one has a current sensor that drifts. Their devices capture windows around alarms and
# drift, the gateway uploads them to the capture store, a person (here the demo, which knows which
# pump ran which regime) labels them with `kubectl fieldproof label`, `fieldproof-dataset` exports
# them, retrain.py retrains the model on them with the pinned generator and judges new against old
# on the same windows, and the retrained model goes out to the pumps as a canary rollout.
#
# Uses demo.sh's variables and functions (KUBECTL, NAMESPACE, DEMO, step, start_emulators, ...).

FIELD_GROUP=pump-field
FIELD_GATEWAY=gw-field
FIELD_ROLLOUT=vib-anomaly-field
FIELD_SECONDS=180
STORE_SECRET=capture-store-reader
# Regimes as the four inputs read (accel_rms, accel_peak_g, temperature_c, motor_current_a): held in
# 3 s episodes with 3 s of clean operation between them, twelve episodes from when the devices run
# the group's configuration; the drifting sensor reads 5 reference deviations high for 30 s.
LOW_LOAD=(--hold accel_rms=0.68 --hold accel_peak_g=0.70 --hold temperature_c=42.5 --hold motor_current_a=3.5)
BEARING_FAULT=(--hold accel_rms=0.81 --hold accel_peak_g=0.30 --hold temperature_c=42.5 --hold motor_current_a=12.5)
DRIFTING_CURRENT=(--hold motor_current_a=27.5 --hold-cycle 30/1x1)
FIELD_GROUP_PATCH='{"metadata": {"name": "pump-field"}, "spec": {
  "selector": {"matchLabels": {"line": "7"}},
  "telemetry": {"reportIntervalSeconds": 2},
  "capture": {"enabled": true, "triggers": ["alarm", "drift"], "windowBefore": 5, "windowAfter": 8},
  "drift": {"window": "10s", "minSamples": 3}}}'

dataset_cli() { "$ROOT/scripts/fieldproof-dataset" "$@" --namespace "$NAMESPACE" --group "$FIELD_GROUP" --store-secret "$STORE_SECRET"; }
plugin() { PATH="$ROOT/kubectl-plugin:$PATH" KUBECTL="$KUBECTL" "$ROOT/kubectl-plugin/kubectl-fieldproof" "$@"; }

# <label> <key> of the group's windows of one trigger
field_windows() { dataset_cli list --trigger "$1" 2>/dev/null; }

# Whether every pump of the regimes has an alarm window and the drifting pump a drift window.
field_windows_enough() {
  local alarms device
  alarms="$(field_windows alarm || true)"
  for device in "${LOW_LOAD_IDS[@]}" "${FAULT_IDS[@]}"; do
    grep -q "/$device/" <<<"$alarms" || return 1
  done
  field_windows drift | grep -q "/${DRIFT_IDS[0]}/"
}

field_verdict() { # device id: what a person who watched the pumps says of its alarm windows
  local device="$1"
  [[ " ${DRIFT_IDS[*]} " == *" $device "* ]] && { echo sensorFault; return; }
  [[ " ${LOW_LOAD_IDS[*]} " == *" $device "* ]] && { echo falseAlarm; return; }
  echo trueAlarm
}

field_data_loop() {
  step "Field data: pumps on line 7 run the lab's model where it was not trained"
  "$KUBECTL" patch --local -f samples/esp32-vibration/devicegroup.yaml --type merge -p "$FIELD_GROUP_PATCH" -o yaml |
    "$KUBECTL" apply --server-side -n "$NAMESPACE" -f -
  # The dataset CLI reads the store's settings from a Secret: here the demo's admin key, which may
  # read the bucket (the gateways' key may only write it).
  "$KUBECTL" create secret generic "$STORE_SECRET" -n "$NAMESPACE" --from-literal=endpoint="$STORE_URI" \
    --from-literal=bucket="$CAPTURE_BUCKET" --from-literal=accessKeyId="$STORE_ADMIN_KEY" \
    --from-literal=secretAccessKey="$STORE_ADMIN_SECRET" --dry-run=client -o yaml | "$KUBECTL" apply -f - >/dev/null
  local lab=model/fixtures/models/dense_anomaly.tflite
  start_emulators "$FIELD_GATEWAY" esp32 3 300 "$lab" 1.3.0 "${LOW_LOAD[@]}" --hold-cycle 3/3x12
  start_emulators "$FIELD_GATEWAY" esp32 2 310 "$lab" 1.3.0 "${BEARING_FAULT[@]}" --hold-cycle 3/3x12
  start_emulators "$FIELD_GATEWAY" esp32 1 320 "$lab" 1.3.0 "${DRIFTING_CURRENT[@]}"
  mapfile -t LOW_LOAD_IDS < <(device_ids "$FIELD_GATEWAY" 300)
  mapfile -t FAULT_IDS < <(device_ids "$FIELD_GATEWAY" 310)
  mapfile -t DRIFT_IDS < <(device_ids "$FIELD_GATEWAY" 320)
  start_gateway_agent "$FIELD_GATEWAY" '{line: "7", sensor: vibration}'
  await_members "$FIELD_GROUP" 6 90 || die "$FIELD_GROUP has $(members "$FIELD_GROUP") of 6 devices: $DEMO/agent-$FIELD_GATEWAY.log"
  echo "low load (normal): ${LOW_LOAD_IDS[*]}; bearing fault: ${FAULT_IDS[*]}; drifting current sensor: ${DRIFT_IDS[*]}"

  step "Waiting for captured windows in the capture store (at most $FIELD_SECONDS s)"
  local deadline=$((SECONDS + FIELD_SECONDS))
  until field_windows_enough; do
    ((SECONDS < deadline)) || break
    sleep 5
  done
  local alarms drifts
  alarms="$(field_windows alarm || true)"
  drifts="$(field_windows drift || true)"
  echo "alarm windows: $(grep -c . <<<"$alarms" || true), drift windows: $(grep -c . <<<"$drifts" || true)"
  sed -n 1,3p <<<"$alarms"

  step "Labeling the windows: kubectl fieldproof label KEY VERDICT"
  local label key device verdict
  while IFS=$'\t' read -r label key; do
    [[ -n "$key" ]] || continue
    device="$(cut -d/ -f5 <<<"$key")"
    verdict="$(field_verdict "$device")"
    [[ "$key" == */drift/* ]] && verdict=sensorFault
    plugin label -n "$NAMESPACE" "$key" "$verdict" --note "demo: the regime $device ran" >/dev/null
    echo "$verdict  $key"
  done < <(printf '%s\n%s\n' "$alarms" "$drifts")
  grep -q "/${LOW_LOAD_IDS[0]}/\|/${LOW_LOAD_IDS[1]}/\|/${LOW_LOAD_IDS[2]}/" <<<"$alarms" ||
    die "no low-load pump captured an alarm window within $FIELD_SECONDS s: $DEMO/agent-$FIELD_GATEWAY.log"

  step "The group's false alarms, from the labels (status.falseAlarms)"
  local rate=""
  for _ in $(seq 1 60); do
    rate="$("$KUBECTL" get dg "$FIELD_GROUP" -n "$NAMESPACE" -o jsonpath='{range .status.falseAlarms[*]}model sha256 {.modelSha256}: {.falseAlarms} of {.labeledAlarms} labeled alarms false, rate {.falseAlarmRate}{"\n"}{end}')"
    [[ -n "$rate" ]] && break
    sleep 1
  done
  echo "${rate:-the operator has not counted the labels yet}"

  step "Exporting the labeled alarm windows as a dataset (fieldproof-dataset export)"
  dataset_cli export --trigger alarm --label falseAlarm --label trueAlarm --out "$DEMO/field-dataset"
  dataset_cli export --trigger drift --out "$DEMO/field-drift"

  step "Retraining dense_anomaly on them with the pinned generator (model/fixtures/retrain.py)"
  "$HOME/.cache/fieldproof/venv-fixtures/bin/python" model/fixtures/retrain.py \
    --dataset "$DEMO/field-dataset" --out "$DEMO/retrained" >"$DEMO/retrain.log" 2>&1 ||
    { tail -20 "$DEMO/retrain.log"; die "retraining failed: $DEMO/retrain.log"; }
  python3 - "$DEMO/retrained/report.json" <<'REPORT'
import json, sys
report = json.load(open(sys.argv[1]))
for which in ("old", "new"):
    m = report[which]
    print("%s model %s: false alarms %.0f %% of the low-load windows, faults detected %.0f %%"
          % (which, m["sha256"][:12], 100 * m["falseAlarmRate"], 100 * m["detectionRate"]))
REPORT

  step "Canary of the retrained model (vibration-anomaly 1.5.0) over the line-7 pumps"
  local model="$DEMO/retrained/dense_anomaly_field.tflite"
  "$KUBECTL" create configmap vibration-anomaly-field -n "$NAMESPACE" --from-file=model.tflite="$model" \
    --from-file=selftest.json="$DEMO/retrained/dense_anomaly_field.golden.json" --dry-run=client -o yaml |
    "$KUBECTL" apply --server-side -f - >/dev/null
  "$KUBECTL" apply --server-side -n "$NAMESPACE" -f - <<ROLLOUT
apiVersion: fieldproof.io/v1alpha1
kind: ModelRollout
metadata: {name: $FIELD_ROLLOUT}
spec:
  deviceGroup: $FIELD_GROUP
  model:
    name: vibration-anomaly
    version: 1.5.0
    sha256: $(sha256sum "$model" | cut -d' ' -f1)
    source: {configMap: {name: vibration-anomaly-field, key: model.tflite}}
    selfTest: {configMap: {name: vibration-anomaly-field, key: selftest.json}}
  strategy:
    steps: [{setPercent: 34}, {pause: {duration: 10s}}, {setPercent: 100}]
    maxConcurrent: 3
    trial: 3s
  # judged as the sample's canary is, against the pumps still on the lab model
  gates:
    minDevices: 2
    rules:
      - {metric: alarmRate, maxRatioToBaseline: 1.5}
      - {metric: fallbackRate, max: 0.02}
      - {metric: sensorFaultRate, maxRatioToBaseline: 1.2}
      - {metric: inferenceLatencyP95Ms, max: 40}
      - {metric: selfTestFailures, max: 0}
ROLLOUT
  watch_rollout "$FIELD_ROLLOUT" "$FIELD_SECONDS"
  "$KUBECTL" get devicegroup "$FIELD_GROUP" -n "$NAMESPACE" -o jsonpath='{.metadata.name}: {range .status.models[*]}{.version} on {.devices} devices; {end}{"\n"}'
}
