"""Unit tests of kubectl-fieldproof: rendering, the actions' checks, watching, kubectl errors.

Run: python3 -m unittest discover -s kubectl-plugin/tests (the system tests run it too).
"""

import copy
import importlib.machinery
import importlib.util
import io
import json
import os
import stat
import tempfile
import unittest
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "fixtures")


def load_plugin():
    path = os.path.join(HERE, "..", "kubectl-fieldproof")
    loader = importlib.machinery.SourceFileLoader("kubectl_fieldproof", path)
    spec = importlib.util.spec_from_loader("kubectl_fieldproof", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


plugin = load_plugin()


def fixture(name, status_name=None):
    with open(os.path.join(FIXTURES, name)) as f:
        obj = json.load(f)
    obj["metadata"].update({"generation": 1, "creationTimestamp": "2025-05-01T09:00:00Z"})
    if status_name:
        with open(os.path.join(FIXTURES, status_name)) as f:
            obj.update(json.load(f))
    return obj


def group():
    return fixture("devicegroup.json", "devicegroup-status.json")


def rollout():
    return fixture("modelrollout.json", "modelrollout-status.json")


def set_reason(obj, phase, reason):
    obj["status"]["phase"] = phase
    for c in obj["status"]["conditions"]:
        if c["type"] == "Progressing":
            c["reason"] = reason


class FakeKubectl:
    """Objects by (resource, name); records annotations and patches instead of sending them."""

    def __init__(self, *objects):
        self.objects = {}
        for obj in objects:
            self.put(obj)
        self.calls = []

    def put(self, obj):
        self.objects[(obj["kind"].lower(), obj["metadata"]["name"])] = obj

    def get(self, resource, name=None):
        if name is None:
            return [o for (r, _), o in self.objects.items() if r == resource]
        if (resource, name) not in self.objects:
            raise plugin.NotFound('%s "%s" not found' % (plugin.kind_of(resource), name))
        return copy.deepcopy(self.objects[(resource, name)])

    def annotate(self, resource, name, key, value):
        self.calls.append(("annotate", resource, name, key, value))

    def merge_patch(self, resource, name, patch):
        self.calls.append(("patch", resource, name, patch))

    def apply(self, manifest, resource, name):
        self.calls.append(("apply", resource, name, manifest))


class TreeTest(unittest.TestCase):
    def test_children_get_branches_and_the_last_a_corner(self):
        root = plugin.Node("root")
        first = root.add("a")
        first.add("a1")
        root.add("b")
        self.assertEqual(root.lines(), ["root", "├── a", "│   └── a1", "└── b"])

    def test_columns_pad_all_but_the_last_cell(self):
        self.assertEqual(plugin.columns([["a", "bb", "x"], ["ccc", "d", "y"]]),
                         ["a    bb  x", "ccc  d   y"])


class RenderTest(unittest.TestCase):
    def render(self, palette=False, g=None, r=None):
        renderer = plugin.TreeRenderer(plugin.Palette(palette))
        return "\n".join(renderer.group(g or group(), [r or rollout()]))

    def test_group_line_shows_ready_and_members_online(self):
        self.assertTrue(self.render().startswith("DeviceGroup pump-vibration  ✔ Ready  13/14 online"))

    def test_group_details_and_conditions(self):
        out = self.render()
        self.assertIn("├── currentModel   vibration-anomaly 1.3.0 (sha256 1a2b3c4d5e6f)", out)
        self.assertIn("├── activeRollout  vib-anomaly-1-4-0", out)
        self.assertIn("│   ├── ✖ Drifting        True   InputsDrifting  1 of 14 members", out)
        self.assertIn("│   └── ✔ Conflict        False  NoConflict", out)

    def test_a_group_lists_the_false_alarms_of_its_models(self):
        g = group()
        g["status"]["falseAlarms"] = [
            {"modelSha256": "1a2b3c4d5e6f" + "0" * 52, "model": "vibration-anomaly 1.3.0",
             "labeledAlarms": 12, "falseAlarms": 2, "sensorFaults": 1, "falseAlarmRate": 0.167},
            {"modelSha256": "ffeeddccbbaa" + "0" * 52, "labeledAlarms": 0, "falseAlarms": 0}]
        out = self.render(g=g)
        self.assertIn("falseAlarms    vibration-anomaly 1.3.0: 2 of 12 labeled alarms false"
                      " (rate 0.167), 1 sensor faults", out)
        self.assertIn("falseAlarms    sha256 ffeeddccbbaa: 0 of 0 labeled alarms false", out)

    def test_a_group_shows_its_capture_counts_when_it_has_them(self):
        self.assertNotIn("capture ", self.render())
        g = group()
        g["status"]["capture"] = {
            "devicesCapturing": 12, "windowsCaptured": 40, "windowsMissed": 3,
            "windowsUploaded": 31, "windowsDropped": {"spool_full": 1, "device_budget": 6}}
        out = self.render(g=g)
        self.assertIn("capture        12 devices capturing: 40 windows captured, 3 missed,"
                      " 31 uploaded, 7 dropped (device_budget 6, spool_full 1)", out)

    def test_rollout_phase_step_devices_gates_failures(self):
        out = self.render()
        self.assertIn("├── ModelRollout vib-anomaly-1-4-0  ॥ Paused", out)
        self.assertIn("│   ├── step     4/5 manual pause", out)
        self.assertIn("│   ├── devices  updated 3/12  inProgress 0  pending 7  failed 1  offline 1"
                      "  incompatible 2", out)
        self.assertIn("│   │   ├── ✔ alarmRate              value 0.012  baseline 0.01  Pass", out)
        self.assertIn("│   │   └── ? selfTestFailures       value 0      baseline -     "
                      "Inconclusive", out)
        self.assertIn("│       ├── ✖ esp32-a4cf12e0b3d7  Timeout       (3 attempts)  no "
                      "confirmation within 10m", out)
        self.assertIn("│       └── ⊘ esp32-a4cf12e0b3e1  Incompatible", out)
        self.assertIn("│   ├── message  step 4/5 (manual pause): waiting to be promoted", out)

    def test_a_rollback_names_the_devices_it_could_not_return(self):
        r = rollout()
        set_reason(r, "RolledBack", "GateFailed")
        r["status"]["devices"]["cannotRevert"] = 2
        r["status"]["devices"]["notReturned"] = 3
        r["status"]["notReturned"] = [
            {"device": "esp32-a4cf12e0b3d9", "reason": "NoPreviousModel",
             "message": "its other slot holds no model to return to"},
            {"device": "esp32-a4cf12e0b3da", "reason": "NoPreviousModel",
             "message": "it runs no model, so it has none to return to"}]
        out = self.render(r=r)
        self.assertIn("incompatible 2  cannotRevert 2", out)
        self.assertIn("not returned (1 more)", out)
        self.assertIn("✖ esp32-a4cf12e0b3d9  NoPreviousModel  its other slot holds no model to"
                      " return to", out)

    def test_devices_waiting_for_a_window_or_a_condition_are_counted_and_listed(self):
        r = rollout()
        r["status"]["devices"]["waitingForWindow"] = 0
        r["status"]["devices"]["waitingForCondition"] = 1
        r["status"]["waiting"] = [
            {"device": "esp32-a4cf12e0b3d9", "reason": "LowBattery",
             "message": "battery 12 % is below spec.deviceConditions.minBatteryPercent 30 %"}]
        out = self.render(r=r)
        self.assertIn("incompatible 2  waitingForCondition 1", out)
        self.assertNotIn("waitingForWindow", out)
        self.assertIn("waiting", out)
        self.assertIn("◷ esp32-a4cf12e0b3d9  LowBattery  battery 12 % is below"
                      " spec.deviceConditions.minBatteryPercent 30 %", out)

    def test_cohorts_name_the_current_model_and_the_rollouts_model(self):
        out = self.render()
        self.assertIn("│   ├── 1.3.0  sha256 1a2b3c4d5e6f  9 devices  current", out)
        self.assertIn("│   ├── 1.4.0  sha256 aa8c95b2b193  3 devices  vib-anomaly-1-4-0", out)
        self.assertIn("│   └── 1.2.1  sha256 77aa8c95b2b1  2 devices\n", out)
        self.assertIn("    ├── ! esp32-a4cf12e0b3d9  Offline   gw-pumps  not heard from since", out)

    def test_no_colour_unless_asked(self):
        self.assertNotIn("\033[", self.render(palette=False))
        coloured = self.render(palette=True)
        self.assertIn("\033[31m✖\033[0m Drifting", coloured)
        self.assertIn("\033[33m॥\033[0m Paused", coloured)

    def test_colour_only_on_a_terminal_without_no_color(self):
        class Terminal(io.StringIO):
            def isatty(self):
                return True

        env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
        with mock.patch.dict(os.environ, env, clear=True):
            with mock.patch.object(plugin.sys, "stdout", io.StringIO()):
                self.assertFalse(plugin.Palette.for_stdout().enabled)
            with mock.patch.object(plugin.sys, "stdout", Terminal()):
                self.assertTrue(plugin.Palette.for_stdout().enabled)
                os.environ["NO_COLOR"] = "1"
                self.assertFalse(plugin.Palette.for_stdout().enabled)

    def test_a_status_behind_its_generation_says_so(self):
        r = rollout()
        r["metadata"]["generation"] = 2
        self.assertIn("observed  generation 2, status is of 1: the operator has not caught up",
                      self.render(r=r))

    def test_objects_without_status(self):
        g, r = fixture("devicegroup.json"), fixture("modelrollout.json")
        out = self.render(g=g, r=r)
        self.assertIn("ModelRollout vib-anomaly-1-4-0  ? no status", out)
        self.assertRegex(out, r"observed +no status yet: is the operator running\?")
        self.assertRegex(out, r"step +0/5 not started")

    def test_missing_group_is_named(self):
        renderer = plugin.TreeRenderer(plugin.Palette(False))
        out = renderer.group(None, [rollout()], "pump-vibration")
        self.assertEqual(out[:2], ["DeviceGroup pump-vibration",
                                   "├── DeviceGroup pump-vibration not found"])

    def test_step_lines(self):
        r = rollout()
        r["status"]["currentStep"] = 2
        self.assertEqual(plugin.step_line(r), "2/5 pause 10m")
        r["status"]["currentStep"] = 6
        self.assertEqual(plugin.step_line(r), "5/5 done")
        r["status"]["currentStep"] = 1
        self.assertEqual(plugin.step_line(r), "1/5 setPercent 5")

    def test_condition_polarity(self):
        self.assertEqual(plugin.Marks.condition("Degraded", "True")[0], "✖")
        self.assertEqual(plugin.Marks.condition("Degraded", "False")[0], "✔")
        self.assertEqual(plugin.Marks.condition("Ready", "False")[0], "✖")
        self.assertEqual(plugin.Marks.condition("Complete", "False")[0], "◌")
        self.assertEqual(plugin.Marks.condition("Failed", "True")[0], "✖")


class StatusCommandTest(unittest.TestCase):
    def test_a_rollout_is_shown_under_its_group(self):
        command = plugin.StatusCommand(FakeKubectl(group(), rollout()), plugin.Palette(False))
        lines, shown = command.render("vib-anomaly-1-4-0")
        self.assertEqual(lines[0], "DeviceGroup pump-vibration  ✔ Ready  13/14 online")
        self.assertEqual(shown["metadata"]["name"], "vib-anomaly-1-4-0")

    def test_a_group_shows_its_newest_and_active_rollouts_and_names_the_others(self):
        old = rollout()
        old["metadata"].update({"name": "vib-anomaly-1-3-0",
                                "creationTimestamp": "2025-04-01T09:00:00Z"})
        old["status"]["phase"] = "Succeeded"
        command = plugin.StatusCommand(FakeKubectl(group(), rollout(), old), plugin.Palette(False))
        lines, _ = command.render(group_name="pump-vibration")
        out = "\n".join(lines)
        self.assertIn("ModelRollout vib-anomaly-1-4-0  ॥ Paused", out)
        self.assertNotIn("ModelRollout vib-anomaly-1-3-0", out)
        self.assertEqual(lines[-1], "older rollouts: vib-anomaly-1-3-0 (Succeeded)")

    def test_every_group_and_rollouts_without_one(self):
        orphan = rollout()
        orphan["metadata"]["name"] = "lost"
        orphan["spec"]["deviceGroup"] = "gone"
        command = plugin.StatusCommand(FakeKubectl(group(), orphan), plugin.Palette(False))
        out = "\n".join(command.render()[0])
        self.assertIn("DeviceGroup pump-vibration", out)
        self.assertIn("DeviceGroup gone\n├── DeviceGroup gone not found", out)

    def test_an_unknown_rollout_is_an_error(self):
        command = plugin.StatusCommand(FakeKubectl(group()), plugin.Palette(False))
        with self.assertRaisesRegex(plugin.PluginError, 'ModelRollout "nope" not found'):
            command.render("nope")


class WatcherTest(unittest.TestCase):
    def test_renders_on_change_and_ends_with_the_rollout(self):
        kubectl = FakeKubectl(group(), rollout())
        phases = iter(["Paused", "Progressing", "Succeeded"])

        def sleep(_):
            r = kubectl.get("modelrollout", "vib-anomaly-1-4-0")
            phase = next(phases)
            r["status"]["phase"] = phase
            kubectl.put(r)

        out = io.StringIO()
        command = plugin.StatusCommand(kubectl, plugin.Palette(False))
        code = plugin.Watcher(command, 0, out, sleep).run("vib-anomaly-1-4-0")
        self.assertEqual(code, 0)
        self.assertEqual(out.getvalue().count("---- "), 3, "an unchanged tree is not printed again")
        self.assertIn("✔ Succeeded", out.getvalue())

    def test_a_rolled_back_rollout_ends_the_watch_with_1(self):
        r = rollout()
        r["status"]["phase"] = "RolledBack"
        command = plugin.StatusCommand(FakeKubectl(group(), r), plugin.Palette(False))
        self.assertEqual(plugin.Watcher(command, 0, io.StringIO()).run("vib-anomaly-1-4-0"), 1)


class ActionsTest(unittest.TestCase):
    def actions(self, r):
        kubectl = FakeKubectl(r)
        out = io.StringIO()
        return plugin.RolloutActions(kubectl, out), kubectl, out

    def test_promote_annotates_the_current_step(self):
        actions, kubectl, out = self.actions(rollout())
        self.assertEqual(actions.promote("vib-anomaly-1-4-0"), 0)
        self.assertEqual(kubectl.calls, [("annotate", "modelrollout", "vib-anomaly-1-4-0",
                                          "fieldproof.io/promote", "4")])
        self.assertIn("promoted step 4/5 manual pause", out.getvalue())

    def test_promote_passes_inconclusive_gates(self):
        r = rollout()
        set_reason(r, "Paused", "GatesInconclusive")
        actions, kubectl, _ = self.actions(r)
        actions.promote("vib-anomaly-1-4-0")
        self.assertEqual(kubectl.calls[0][4], "4")

    def test_promote_passes_a_canary_step_no_device_can_revert_for(self):
        r = rollout()
        set_reason(r, "Paused", "NoRevertibleDevices")
        actions, kubectl, _ = self.actions(r)
        actions.promote("vib-anomaly-1-4-0")
        self.assertEqual(kubectl.calls[0][4], "4")

    def test_promote_refuses_a_rollout_not_at_a_manual_pause(self):
        r = rollout()
        set_reason(r, "Progressing", "Updating")
        actions, kubectl, _ = self.actions(r)
        with self.assertRaisesRegex(plugin.PluginError, "not at a manual pause.*Progressing"):
            actions.promote("vib-anomaly-1-4-0")
        self.assertEqual(kubectl.calls, [])

    def test_promote_points_a_spec_pause_to_resume(self):
        r = rollout()
        set_reason(r, "Paused", "SpecPaused")
        actions, _, _ = self.actions(r)
        with self.assertRaisesRegex(plugin.PluginError, "fieldproof resume vib-anomaly-1-4-0"):
            actions.promote("vib-anomaly-1-4-0")

    def test_promote_does_not_pass_a_failed_gate(self):
        r = rollout()
        set_reason(r, "Paused", "GateFailed")
        actions, _, _ = self.actions(r)
        with self.assertRaisesRegex(plugin.PluginError, "after GateFailed"):
            actions.promote("vib-anomaly-1-4-0")

    def test_promote_refuses_a_finished_rollout(self):
        r = rollout()
        r["status"]["phase"] = "Succeeded"
        actions, _, _ = self.actions(r)
        with self.assertRaisesRegex(plugin.PluginError, "is Succeeded: there is nothing"):
            actions.promote("vib-anomaly-1-4-0")

    def test_pause_and_resume_patch_spec_paused(self):
        r = rollout()
        actions, kubectl, _ = self.actions(r)
        actions.pause("vib-anomaly-1-4-0")
        r["spec"]["paused"] = True
        kubectl.put(r)
        actions.pause("vib-anomaly-1-4-0")
        actions.resume("vib-anomaly-1-4-0")
        self.assertEqual(kubectl.calls, [
            ("patch", "modelrollout", "vib-anomaly-1-4-0", {"spec": {"paused": True}}),
            ("patch", "modelrollout", "vib-anomaly-1-4-0", {"spec": {"paused": False}})])

    def test_resume_of_a_running_rollout_changes_nothing(self):
        actions, kubectl, out = self.actions(rollout())
        actions.resume("vib-anomaly-1-4-0")
        self.assertEqual(kubectl.calls, [])
        self.assertIn("not paused", out.getvalue())

    def test_abort_annotates_and_says_the_devices_go_back(self):
        actions, kubectl, out = self.actions(rollout())
        self.assertEqual(actions.abort("vib-anomaly-1-4-0"), 0)
        self.assertEqual(kubectl.calls, [("annotate", "modelrollout", "vib-anomaly-1-4-0",
                                          "fieldproof.io/abort", "true")])
        self.assertIn("the 3 devices already updated return to their previous model",
                      out.getvalue())
        self.assertIn("RolledBack", out.getvalue())

    def test_abort_of_a_rolled_back_rollout_is_an_error(self):
        r = rollout()
        r["status"]["phase"] = "RolledBack"
        actions, _, _ = self.actions(r)
        with self.assertRaisesRegex(plugin.PluginError, "nothing to abort"):
            actions.abort("vib-anomaly-1-4-0")


class LabelTest(unittest.TestCase):
    WINDOW = ("plant-a/pump-vibration/" + "ab" * 32 + "/alarm/esp32-a4cf12409817/"
              "1765000000123-0123456789ab.json")

    def test_a_label_is_applied_as_the_windows_own_capture_label(self):
        kubectl, out = FakeKubectl(), io.StringIO()
        plugin.Labels(kubectl, out).label(self.WINDOW, "falseAlarm", "door left open")
        (call, resource, name, manifest), = kubectl.calls
        self.assertEqual((call, resource), ("apply", "capturelabel"))
        self.assertEqual(name, plugin.Labels.name_of(self.WINDOW))
        self.assertEqual(manifest["kind"], "CaptureLabel")
        self.assertEqual(manifest["spec"], {"window": self.WINDOW, "label": "falseAlarm",
                                            "note": "door left open"})
        self.assertIn("is falseAlarm", out.getvalue())

    def test_relabeling_a_window_names_the_same_object(self):
        self.assertEqual(plugin.Labels.name_of(self.WINDOW), plugin.Labels.name_of(self.WINDOW))
        self.assertNotEqual(plugin.Labels.name_of(self.WINDOW),
                            plugin.Labels.name_of(self.WINDOW.replace("-0123456789ab.json", "-0123456789ac.json")))
        self.assertLessEqual(len(plugin.Labels.name_of(self.WINDOW)), 63)

    def test_what_is_not_a_window_or_a_verdict_is_refused_before_kubectl_runs(self):
        kubectl = FakeKubectl()
        with self.assertRaisesRegex(plugin.PluginError, "not a captured window's key"):
            plugin.Labels(kubectl).label("plant-a/pump-vibration/latest.json", "falseAlarm")
        with self.assertRaisesRegex(plugin.PluginError, "trueAlarm, falseAlarm"):
            plugin.Labels(kubectl).label(self.WINDOW, "bogus")
        self.assertEqual(kubectl.calls, [])


class KubectlTest(unittest.TestCase):
    def fake_kubectl(self, script):
        handle, path = tempfile.mkstemp()
        with os.fdopen(handle, "w") as f:
            f.write("#!/bin/sh\n" + script)
        os.chmod(path, stat.S_IRWXU)
        self.addCleanup(os.remove, path)
        return path

    def test_missing_kubectl(self):
        kubectl = plugin.Kubectl(binary="/nonexistent/kubectl")
        with self.assertRaisesRegex(plugin.PluginError, "kubectl not found"):
            kubectl.get("modelrollout", "x")

    def test_not_found_names_the_kind_and_namespace(self):
        binary = self.fake_kubectl(
            'echo \'Error from server (NotFound): modelrollouts.fieldproof.io "x" not found\' >&2\n'
            "exit 1\n")
        kubectl = plugin.Kubectl(namespace="plant-a", binary=binary)
        with self.assertRaisesRegex(plugin.NotFound,
                                    'ModelRollout "x" not found in namespace "plant-a"'):
            kubectl.get("modelrollout", "x")

    def test_missing_crds(self):
        binary = self.fake_kubectl(
            'echo \'error: the server doesn\'"\'"\'t have a resource type "modelrollout"\' >&2\n'
            "exit 1\n")
        with self.assertRaisesRegex(plugin.PluginError, "are the Fieldproof CRDs installed"):
            plugin.Kubectl(binary=binary).get("modelrollout", "x")

    def test_global_flags_reach_kubectl(self):
        binary = self.fake_kubectl('echo "{\\"items\\": [], \\"args\\": \\"$*\\"}"\n')
        kubectl = plugin.Kubectl("ns1", "ctx", "/k.yaml", binary)
        self.assertEqual(json.loads(kubectl.run(["get", "x"], "x"))["args"],
                         "--context=ctx --kubeconfig=/k.yaml --namespace=ns1 get x")

    def test_flags_before_and_after_the_command(self):
        args = plugin.parser().parse_args(["-n", "a", "status", "r"])
        self.assertEqual(args.namespace, "a")
        args = plugin.parser().parse_args(["status", "-n", "b", "-g", "grp", "--watch"])
        self.assertEqual((args.namespace, args.group, args.watch), ("b", "grp", True))


if __name__ == "__main__":
    unittest.main()
