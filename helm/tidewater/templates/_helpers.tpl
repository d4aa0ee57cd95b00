{{/*
Every value is read with a default (dig on .Values.AsMap, or `| default dict` for a section):
`helm upgrade --reuse-values` renders these templates with the previous release's values, which
lack every key added since, and a plain .Values.a.b on a missing section is a nil-pointer error.
*/}}

{{/* The release's full name, at most 63 characters. */}}
{{- define "tidewater.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "tidewater.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* Labels selecting the operator's pods. */}}
{{- define "tidewater.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The ServiceAccount the operator runs as. */}}
{{- define "tidewater.serviceAccountName" -}}
{{- $name := dig "serviceAccount" "name" "" .Values.AsMap -}}
{{- if dig "serviceAccount" "create" true .Values.AsMap -}}
{{- default (include "tidewater.fullname" .) $name -}}
{{- else -}}
{{- default "default" $name -}}
{{- end -}}
{{- end -}}

{{/* The operator's ServiceAccount as the subject of a binding. */}}
{{- define "tidewater.subjects" -}}
subjects:
  - kind: ServiceAccount
    name: {{ include "tidewater.serviceAccountName" . }}
    namespace: {{ .Release.Namespace }}
{{- end -}}
