-- Argo CD health check for cloud.imply.io/ImplyCluster.
--
-- It reads the conditions imply-operator writes (Ready, Synced, Reconciling, Stalled, each stamped
-- with observedGeneration) and does not second-guess them: the controller sets Stalled whenever
-- progress needs a human, so anything else that is not Ready is still moving. The rules below run
-- in order; the first that matches decides. deploy/argocd/README.md has the same table for humans.
--
-- Argo CD runs this in gopher-lua (Lua 5.1) with only the base, table and a reduced os library:
-- no string or math library and no string methods, so this file uses neither.

local PAUSED_ANNOTATION = "cloud.imply.io/paused"
local PAUSED_MESSAGE = "Writes are paused by the cloud.imply.io/paused annotation"

-- Synced reasons that no retry can fix: the spec, the credentials, the account or the cluster name
-- must change. A transient reason (ApiUnavailable, an internal error) is not among them: Degraded
-- tells people to act, and an API outage the controller is already retrying is not theirs to fix.
local NEEDS_HUMAN = {
  BadArgument = true,
  Unauthorized = true,
  Conflict = true,
  CredentialsNotFound = true,
  AccountNotFound = true,
}

-- Ready reasons that mean the Imply cluster is on its way somewhere and will change Ready by
-- itself.
-- Unavailable (the cluster could not be observed) is here too: the controller retries it with
-- backoff, and if it turns out to need a human, Stalled or a NEEDS_HUMAN Synced reason says so.
local PROGRESSING = {
  Creating = true,
  Updating = true,
  Starting = true,
  Stopping = true,
  Deleting = true,
  Unavailable = true,
}

local function health(status, message)
  return { status = status, message = message }
end

local function find(conditions, conditionType)
  for _, condition in ipairs(conditions) do
    if condition.type == conditionType then
      return condition
    end
  end
  return nil
end

local function is(condition, status)
  return condition ~= nil and condition.status == status
end

-- A condition's message, or its reason when the message is empty, so Argo never shows a blank line.
local function describe(condition)
  if condition.message ~= nil and condition.message ~= "" then
    return condition.message
  end
  return condition.reason or ""
end

-- A failed last sync that is not Degraded still belongs in the message: Argo shows it next to the
-- health, and "running" alone would hide that the controller cannot reach the API right now.
local function withSyncNote(message, synced)
  if is(synced, "False") then
    return message .. "; last sync failed: " .. describe(synced)
  end
  return message
end

local metadata = obj.metadata or {}
local annotations = metadata.annotations or {}
local status = obj.status or {}
local conditions = status.conditions or {}
local ready = find(conditions, "Ready")
local synced = find(conditions, "Synced")

-- The annotation is the user's own instruction to stop all writes, so it wins even before the
-- controller has acknowledged it: nothing will happen to this resource until it is removed, and
-- showing Progressing would make an Argo CD sync wait for something that cannot come.
if annotations[PAUSED_ANNOTATION] == "true" then
  if is(synced, "False") and synced.reason == "ReconcilePaused" then
    return health("Suspended", describe(synced))
  end
  return health("Suspended", PAUSED_MESSAGE)
end

-- A freshly applied resource has no status until the controller's first pass; that is the normal
-- start of its life, not a fault.
if next(conditions) == nil then
  return health("Progressing", "Waiting for controller")
end

-- Conditions describe the generation they were computed for. Until the controller has seen the
-- latest spec, a Ready=True left over from the previous spec would report health for a spec
-- nobody asked for any more. Either generation being behind is enough: the controller stamps both.
local generation = metadata.generation
if type(generation) == "number" then
  local observed = status.observedGeneration
  local readyObserved = ready and ready.observedGeneration
  if (type(observed) == "number" and observed < generation)
    or (type(readyObserved) == "number" and readyObserved < generation) then
    local message = "Waiting for the controller to observe generation " .. tostring(generation)
    return health("Progressing", message)
  end
end

-- The annotation may have been removed and the controller not yet caught up (annotations do not
-- bump the generation); until it has, it still is not writing.
if is(synced, "False") and synced.reason == "ReconcilePaused" then
  return health("Suspended", describe(synced))
end

-- kstatus convention: Stalled means progress needs a human (the API rejected this generation,
-- credentials are refused, the cluster FAILED, a deletion is blocked). That is what Degraded is
-- for.
local stalled = find(conditions, "Stalled")
if is(stalled, "True") then
  return health("Degraded", describe(stalled))
end

-- A FAILED cluster, or a recorded cluster that no longer exists in Imply (the controller will not
-- silently re-create it), needs a decision from the user even when Stalled is not set.
if is(ready, "False") and (ready.reason == "Failed" or ready.reason == "NotFound") then
  return health("Degraded", describe(ready))
end

-- Checked before Ready: a cluster that runs but can no longer be managed (credentials refused,
-- account gone) needs attention even though it serves queries.
if is(synced, "False") and NEEDS_HUMAN[synced.reason] then
  return health("Degraded", describe(synced))
end

-- Argo CD reports "Pending deletion" itself for objects with a deletionTimestamp before calling a
-- health check; this keeps the answer right for any caller that does not.
if metadata.deletionTimestamp ~= nil then
  if ready ~= nil and ready.reason == "Deleting" then
    return health("Progressing", describe(ready))
  end
  return health("Progressing", "Pending deletion")
end

-- kstatus convention: Reconciling=True means work is under way (including Busy: the Imply cluster
-- refused a write with 409 while it is transitional, which is waiting, not failing).
local reconciling = find(conditions, "Reconciling")
if is(reconciling, "True") then
  return health("Progressing", describe(reconciling))
end

if is(ready, "True") then
  -- Argo CD has no "stopped" health, and Suspended means paused here; a cluster stopped because
  -- the spec asks for it is exactly what was declared, so it is Healthy.
  local spec = obj.spec or {}
  local cluster = spec.cluster or {}
  if ready.reason == "Stopped" and cluster.desiredState == "STOPPED" then
    return health("Healthy", withSyncNote("Stopped as requested", synced))
  end
  -- Ready=True with a transient Synced=False (ApiUnavailable, …): the cluster still runs the
  -- current spec, and the controller is already retrying.
  return health("Healthy", withSyncNote(describe(ready), synced))
end

if ready ~= nil and PROGRESSING[ready.reason] then
  return health("Progressing", withSyncNote(describe(ready), synced))
end

-- Anything else (no Ready condition yet, or a reason this check does not know, say from a newer
-- controller) is Progressing rather than Unknown: the controller promises Stalled for everything
-- that needs a human, which was checked above, and Argo CD ranks Unknown worse than Degraded when
-- it sums up an Application, so an unfamiliar but harmless reason would mark the whole Application
-- Unknown.
if ready ~= nil then
  return health("Progressing", withSyncNote(describe(ready), synced))
end
return health("Progressing", "Waiting for the Ready condition")
