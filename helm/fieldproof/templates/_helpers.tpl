{{/* The chart's name, shortened to fit a label value. */}}
{{- define "fieldproof.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The full name of the release's objects: <release>-<chart>, or the release name when it holds the chart's. */}}
{{- define "fieldproof.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "fieldproof.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object. */}}
{{- define "fieldproof.labels" -}}
helm.sh/chart: {{ include "fieldproof.chart" . }}
{{ include "fieldproof.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: fieldproof
{{- end }}

{{/* Labels that select the operator's pods. */}}
{{- define "fieldproof.selectorLabels" -}}
app.kubernetes.io/name: {{ include "fieldproof.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "fieldproof.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "fieldproof.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "fieldproof.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{- define "fieldproof.leaseName" -}}
{{- default (include "fieldproof.fullname" .) .Values.leaderElection.leaseName }}
{{- end }}

{{- define "fieldproof.brokerName" -}}
{{- printf "%s-mosquitto" (include "fieldproof.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The broker the operator connects to: the embedded broker when enabled, else mqtt.uri. The
embedded broker is reached through the environment variables the kubelet sets for its Service
(expanded by Kubernetes in the env value), not through cluster DNS: it works on clusters without
DNS (small edge clusters, the project's test node) as on any other. Helm creates the Service
before the Deployment, so the variables are there when the operator's pods start.
*/}}
{{- define "fieldproof.mqttUri" -}}
{{- if .Values.embeddedBroker.enabled }}
{{- $env := include "fieldproof.brokerName" . | upper | replace "-" "_" }}
{{- printf "tcp://$(%s_SERVICE_HOST):$(%s_SERVICE_PORT)" $env $env }}
{{- else }}
{{- .Values.mqtt.uri }}
{{- end }}
{{- end }}

{{/* The namespace whose topics the operator reads: mqtt.topicNamespace, else the only watched namespace, else +. */}}
{{- define "fieldproof.topicNamespace" -}}
{{- if .Values.mqtt.topicNamespace }}
{{- .Values.mqtt.topicNamespace }}
{{- else if and (eq .Values.rbac.scope "namespaced") (eq (len .Values.watchNamespaces) 1) }}
{{- first .Values.watchNamespaces }}
{{- else }}
{{- "+" }}
{{- end }}
{{- end }}

{{- define "fieldproof.mqttSecretName" -}}
{{- default (printf "%s-mqtt" (include "fieldproof.fullname" .)) .Values.mqtt.auth.existingSecret }}
{{- end }}

{{/*
What the operator does with the kinds it reconciles and what it reads beside them, the same in a
ClusterRole and in each namespaced Role. No wildcard: every verb and resource is named.
*/}}
{{- define "fieldproof.operatorRules" -}}
- apiGroups: ["fieldproof.io"]
  resources: ["devicegroups", "modelrollouts"]
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: ["fieldproof.io"]
  resources: ["devicegroups/status", "modelrollouts/status"]
  verbs: ["get", "patch"]
- apiGroups: ["fieldproof.io"]
  resources: ["devicegroups/finalizers", "modelrollouts/finalizers"]
  verbs: ["update"]
- apiGroups: ["fieldproof.io"]
  resources: ["capturelabels"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
- apiGroups: ["events.k8s.io"]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end }}

{{- define "fieldproof.signingSecretName" -}}
{{- default (printf "%s-signing" (include "fieldproof.fullname" .)) .Values.signing.existingSecret }}
{{- end }}

{{/*
The embedded broker's ACL, the rules scripts/broker-config.py writes (docs/protocol.md#broker-acl):
explicit user blocks, never a pattern for a gateway (a pattern applies to every user).
*/}}
{{- define "fieldproof.brokerAcl" -}}
# Fieldproof broker ACL, rendered from embeddedBroker.acl; what no line grants is denied.
# every client: its own retained-barrier marker (fieldproof/sync/<client id>)
pattern readwrite fieldproof/sync/%c

# the operator: reads its namespaces, writes desired states and models
user {{ include "fieldproof.brokerOperatorUser" . }}
{{- /* what the operator subscribes to: its topic namespace, one or + (fieldproof.topicNamespace) */}}
{{- range $ns := list (include "fieldproof.topicNamespace" .) }}
topic read fieldproof/v2/{{ $ns }}/gw/+/state
topic read fieldproof/v2/{{ $ns }}/gw/+/dev/+/reported
topic read fieldproof/v2/{{ $ns }}/gw/+/dev/+/events
topic readwrite fieldproof/v2/{{ $ns }}/gw/+/dev/+/desired
topic readwrite fieldproof/v2/{{ $ns }}/models/#
topic read $share/+/fieldproof/v2/{{ $ns }}/gw/+/dev/+/events
{{- end }}
{{- range $ns, $gateways := .Values.embeddedBroker.acl.gateways }}
{{- range $gw := $gateways }}

# gateway {{ $gw }} of namespace {{ $ns }}
user {{ $ns }}.{{ $gw }}
topic write fieldproof/v2/{{ $ns }}/gw/{{ $gw }}/state
topic write fieldproof/v2/{{ $ns }}/gw/{{ $gw }}/dev/+/reported
topic write fieldproof/v2/{{ $ns }}/gw/{{ $gw }}/dev/+/events
topic read fieldproof/v2/{{ $ns }}/gw/{{ $gw }}/dev/+/desired
topic read fieldproof/v2/{{ $ns }}/models/#
{{- end }}
{{- end }}
{{ end -}}

{{/* The operator's user name on the embedded broker: mqtt.auth.username, or fieldproof-operator. */}}
{{- define "fieldproof.brokerOperatorUser" -}}
{{- default "fieldproof-operator" .Values.mqtt.auth.username }}
{{- end }}

{{/* The Secret with the embedded broker's plain-text password file. */}}
{{- define "fieldproof.brokerPasswordsSecret" -}}
{{- default (printf "%s-broker-passwords" (include "fieldproof.fullname" .)) .Values.embeddedBroker.auth.existingSecret }}
{{- end }}

{{/* Refuses a broker reachable from outside the cluster without auth and the ACL. */}}
{{- define "fieldproof.brokerChecks" -}}
{{- $broker := .Values.embeddedBroker }}
{{- $exposed := or $broker.exposed (ne $broker.service.type "ClusterIP") }}
{{- if and $exposed (not $broker.auth.enabled) }}
{{- fail (printf "embeddedBroker is exposed outside the cluster (service.type %s, exposed %v) without auth and the ACL: set embeddedBroker.auth.enabled=true and list the gateways in embeddedBroker.acl.gateways (docs/operations.md#broker-access)" $broker.service.type $broker.exposed) }}
{{- end }}
{{- if and $broker.auth.enabled (not .Values.mqtt.auth.enabled) }}
{{- fail "embeddedBroker.auth.enabled needs the operator's credentials: set mqtt.auth.enabled=true with mqtt.auth.username and password (or existingSecret), the same user and password as in the broker's password file" }}
{{- end }}
{{- end }}

{{/* The broker image, as fieldproof.image does for the operator: the digest wins, the tag defaults to appVersion. */}}
{{- define "fieldproof.brokerImage" -}}
{{- $image := .Values.embeddedBroker.image }}
{{- if $image.digest }}
{{- printf "%s@%s" $image.repository $image.digest | quote }}
{{- else }}
{{- printf "%s:%s" $image.repository (default .Chart.AppVersion $image.tag) | quote }}
{{- end }}
{{- end }}
