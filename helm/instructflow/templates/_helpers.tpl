{{/*
Names and labels shared by every object. Object names are "<release>-instructflow[-<part>]" (or the release name
alone when it already contains the chart's name), cut to the 63 characters a label value may hold.
*/}}
{{- define "instructflow.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels every object carries. */}}
{{- define "instructflow.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* What selects this release's pods; a component (api, worker) and a pool narrow it. Never changes on upgrade. */}}
{{- define "instructflow.selector" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* An image reference from one entry of .Values.image (ctx: dict "root" $ "image" .Values.image.api). */}}
{{- define "instructflow.image" -}}
{{- $registry := .root.Values.image.registry -}}
{{- $ref := printf "%s:%s" .image.repository (.image.tag | default .root.Chart.AppVersion) -}}
{{- if $registry -}}{{ printf "%s/%s" $registry $ref }}{{- else -}}{{ $ref }}{{- end -}}
{{- end -}}

{{/*
The Temporal task queues a worker pool polls, from its pools (INSTRUCTFLOW_WORKER_QUEUES). Mirrors
workflows/src/main/java/ai/instructflow/workflows/TaskQueues.java and PlatformWorker: a "cpu" worker also
serves the labeling queue beside its stage slot. The chart tests hold these names to those constants.
*/}}
{{- define "instructflow.taskQueues" -}}
{{- $queues := list -}}
{{- range . -}}
{{- if eq . "gpu" -}}
{{- $queues = append $queues "instructflow-gpu" -}}
{{- else -}}
{{- $queues = append $queues "instructflow-cpu" -}}
{{- $queues = append $queues "instructflow-labeling" -}}
{{- end -}}
{{- end -}}
{{- toJson $queues -}}
{{- end -}}

{{/* True (non-empty) for a pool whose device is a GPU: it gets nvidia.com/gpu limits and tolerates GPU taints. */}}
{{- define "instructflow.gpuPool" -}}
{{- if hasPrefix "gpu" .device -}}true{{- end -}}
{{- end -}}

{{/*
The container security context of every InstructFlow container: nothing but the JVM, as a non-root user, on a
read-only root file system (writable: the emptyDir volumes of "instructflow.volumes").
*/}}
{{- define "instructflow.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: ["ALL"]
{{- end -}}

{{/* The pod security context: the images' non-root user, and the runtime's default seccomp profile. */}}
{{- define "instructflow.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.podSecurity.runAsUser }}
runAsGroup: {{ .Values.podSecurity.runAsUser }}
fsGroup: {{ .Values.podSecurity.runAsUser }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/*
The only places a container writes: /tmp (the JVM, netty's and JNA's native libraries, staging of datasets and
checkpoints) and the DJL cache (DJL_CACHE_DIR: the images load libtorch from PYTORCH_LIBRARY_PATH, baked in, but
DJL writes here whatever else it unpacks). Plus, where Temporal
speaks mutual TLS, the client certificate Secret, read-only.
*/}}
{{- define "instructflow.volumes" -}}
- name: tmp
  emptyDir:
    {{- with .Values.scratch.tmpSizeLimit }}
    sizeLimit: {{ . }}
    {{- end }}
- name: djl-cache
  emptyDir:
    {{- with .Values.scratch.djlCacheSizeLimit }}
    sizeLimit: {{ . }}
    {{- end }}
{{- if .Values.temporal.tls.enabled }}
- name: temporal-tls
  secret:
    secretName: {{ required "temporal.tls.secretName: the Secret with the Temporal client certificate and key" .Values.temporal.tls.secretName }}
    defaultMode: 0440
{{- end }}
{{- end -}}

{{- define "instructflow.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
- name: djl-cache
  mountPath: {{ .Values.scratch.djlCacheDir }}
{{- if .Values.temporal.tls.enabled }}
- name: temporal-tls
  mountPath: /etc/instructflow/temporal-tls
  readOnly: true
{{- end }}
{{- end -}}

{{/*
Environment every InstructFlow container gets beside the ConfigMap (envFrom): the S3 credentials, always from
a Secret by reference, never a value in the chart.
*/}}
{{- define "instructflow.secretEnv" -}}
- name: INSTRUCTFLOW_S3_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ required "s3.credentials.secretName: the Secret with the S3 access and secret keys" .Values.s3.credentials.secretName }}
      key: {{ .Values.s3.credentials.accessKeyKey }}
- name: INSTRUCTFLOW_S3_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .Values.s3.credentials.secretName }}
      key: {{ .Values.s3.credentials.secretKeyKey }}
{{- end -}}

{{/* A checksum of the settings ConfigMap on each pod, so that changing a setting rolls the pods. */}}
{{- define "instructflow.configChecksum" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
{{- end -}}

{{/* The ServiceAccount the pods run as: this chart's, or one that exists. */}}
{{- define "instructflow.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "instructflow.fullname" .) -}}
{{- else -}}
{{- required "serviceAccount.name: the existing ServiceAccount (serviceAccount.create is false)" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/*
The worker pools, each entry of .Values.workers laid over .Values.workerDefaults, as a JSON list (templates read it
back with fromJsonArray: numbers come back as floats, which print the same for the integers used here).
*/}}
{{- define "instructflow.pools" -}}
{{- $pools := list -}}
{{- range .Values.workers -}}
{{- $pools = append $pools (include "instructflow.overlay" (dict "base" $.Values.workerDefaults "over" .) | fromJson) -}}
{{- end -}}
{{- toJson $pools -}}
{{- end -}}

{{/*
"over" laid over "base", maps key by key, anything else (lists too) replaced: as Helm merges values files. Sprig's
merge and mergeOverwrite cannot do this: they take 0 and false for "not set" and keep the default instead
(a pool's autoscaling.minReplicas: 0 would come back as 1).
*/}}
{{- define "instructflow.overlay" -}}
{{- $out := deepCopy .base -}}
{{- range $key, $value := .over -}}
{{- if and (kindIs "map" $value) (kindIs "map" (get $out $key)) -}}
{{- $_ := set $out $key (include "instructflow.overlay" (dict "base" (get $out $key) "over" $value) | fromJson) -}}
{{- else -}}
{{- $_ := set $out $key $value -}}
{{- end -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}

{{/* mp.jwt.verify.publickey.location: the identity provider's URL, or the mounted Secret's file. */}}
{{- define "instructflow.jwtKeyLocation" -}}
{{- with .Values.auth.publicKey -}}
{{- if .location -}}
{{- .location -}}
{{- else -}}
{{- $_ := required "auth.publicKey: a URL (location) or a Secret (secretName) with the key that verifies tokens" .secretName -}}
{{- printf "/etc/instructflow/jwt/%s" .key -}}
{{- end -}}
{{- end -}}
{{- end -}}
