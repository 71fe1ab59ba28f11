{{- define "cp.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "cp.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "cp.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "cp.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Selector labels of one component (api or workers): pass (list $ "api"). */}}
{{- define "cp.selectorLabels" -}}
{{- $ := index . 0 -}}
app.kubernetes.io/name: {{ include "cp.name" $ }}
app.kubernetes.io/instance: {{ $.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{- define "cp.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "cp.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "cp.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "cp.secretName" -}}
{{- default (include "cp.fullname" .) .Values.existingSecret -}}
{{- end -}}

{{/*
A setting's value as the environment carries it. Helm reads unquoted YAML numbers as floats, which
would print large ones as 2.592e+09; the product's numeric settings are all integers.
*/}}
{{- define "cp.settingValue" -}}
{{- if kindIs "float64" . -}}{{ int64 . }}{{- else -}}{{ . }}{{- end -}}
{{- end -}}

{{/* The public URL: as configured, or derived from the first ingress host. */}}
{{- define "cp.publicUrl" -}}
{{- if .Values.config.PUBLIC_URL -}}
{{- .Values.config.PUBLIC_URL -}}
{{- else if and .Values.ingress.enabled .Values.ingress.hosts -}}
{{- printf "%s://%s" (ternary "https" "http" (gt (len .Values.ingress.tls) 0)) (first .Values.ingress.hosts) -}}
{{- end -}}
{{- end -}}

{{/* The grace period: what the ordered shutdown may take (preStop, its bound) plus a margin. */}}
{{- define "cp.gracePeriod" -}}
{{- $c := . -}}
{{- add (default 0 $c.preStopSleepSeconds) (div (add $c.shutdownTimeoutMs 999) 1000) $c.graceMarginSeconds -}}
{{- end -}}

{{/* Pod-level pieces shared by the API and the workers. */}}
{{- define "cp.podCommon" -}}
serviceAccountName: {{ include "cp.serviceAccountName" . }}
# The processes never call the Kubernetes API.
automountServiceAccountToken: false
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* Settings reach both containers from the ConfigMap and the Secret. */}}
{{- define "cp.envFrom" -}}
envFrom:
  - configMapRef:
      name: {{ include "cp.fullname" . }}
  - secretRef:
      name: {{ include "cp.secretName" . }}
{{- end -}}

{{/* Roll the pods when settings change (envFrom is read only at container start). */}}
{{- define "cp.checksums" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
{{- if not .Values.existingSecret }}
checksum/secret: {{ include (print .Template.BasePath "/secret.yaml") . | sha256sum }}
{{- end }}
{{- end -}}

{{/* Spread constraints with this component's selector filled in. */}}
{{- define "cp.spread" -}}
{{- $ := index . 0 -}}
{{- $component := index . 1 -}}
{{- with index . 2 -}}
topologySpreadConstraints:
{{- range . }}
  - {{ toYaml . | indent 4 | trim }}
    labelSelector:
      matchLabels:
        {{- include "cp.selectorLabels" (list $ $component) | nindent 8 }}
{{- end }}
{{- end }}
{{- end -}}
