-- A job without replay_job_status is "requested, unconfirmed" (the planner moves on), no longer "timed out"
-- (it asked for the same window again, for ever, against an X that sends no status for POST /2/webhooks/replay).
UPDATE replay_job SET state = 'UNCONFIRMED' WHERE state = 'TIMED_OUT';
