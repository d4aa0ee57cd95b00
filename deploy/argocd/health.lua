-- Argo CD health of every Tidewater kind (ecs.tidewater.dev/v1alpha1): hack/update-argocd.sh puts
-- this one script under each kind's key of argocd-cm, since Argo CD scripts cannot share code.
-- The operator's conditions
-- decide, but only once it has seen the current generation: a fresh edit never shows a stale Healthy.
-- Lua 5.1 (gopher-lua), as Argo CD runs it.
local hs = {}

local function condition(status, name)
  if status == nil or status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == name then
      return c
    end
  end
  return nil
end

local function describe(c, fallback)
  if c.message ~= nil and c.message ~= "" then
    return c.message
  end
  if c.reason ~= nil and c.reason ~= "" then
    return c.reason
  end
  return fallback
end

local status = obj.status
local generation = 0
if obj.metadata ~= nil and obj.metadata.generation ~= nil then
  generation = obj.metadata.generation
end
if status == nil or status.observedGeneration == nil or status.observedGeneration < generation then
  hs.status = "Progressing"
  hs.message = "waiting for the operator"
  return hs
end

local degraded = condition(status, "Degraded")
if degraded ~= nil and degraded.status == "True" then
  hs.status = "Degraded"
  hs.message = describe(degraded, "degraded")
  return hs
end

-- Tasks only: Failed is a Task's verdict once every task stopped and one did not succeed, as a Job's
-- Failed condition is Argo CD's Degraded Job. It is final (a Task runs once), so it is Degraded even
-- if a status shows no Degraded condition with it (an older operator, a status written by hand): a
-- sync wave never moves on past a failed migration. Succeeded is Ready, running is Progressing. A
-- ScheduledTask has no such condition: its last run's result (status.lastRunResult) is not its health.
if obj.kind == "Task" then
  local failed = condition(status, "Failed")
  if failed ~= nil and failed.status == "True" then
    hs.status = "Degraded"
    hs.message = describe(failed, "failed")
    return hs
  end
end

-- Services only (no other kind has a rolloutState): the operator reports a failed rollout as
-- Degraded too; this holds even if a status shows only the rollout state (an older operator, or the
-- ecs backend mid-update).
if status.rolloutState == "FAILED" then
  hs.status = "Degraded"
  hs.message = "rollout of revision " .. tostring(status.revision) .. " failed"
  return hs
end

-- Ready covers a paused ScheduledTask too (reason Paused): Healthy, not Suspended, as Argo CD v3.3's
-- own check shows a suspended CronJob: a Suspended resource would hold its sync wave forever and make
-- its whole Application Suspended.
local ready = condition(status, "Ready")
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = describe(ready, "ready")
  return hs
end

local progressing = condition(status, "Progressing")
if progressing ~= nil and progressing.status == "True" then
  hs.status = "Progressing"
  hs.message = describe(progressing, "progressing")
  return hs
end

-- Observed but neither ready nor failing: the operator is still on it.
hs.status = "Progressing"
hs.message = "waiting for the operator"
if ready ~= nil then
  hs.message = describe(ready, hs.message)
end
return hs
