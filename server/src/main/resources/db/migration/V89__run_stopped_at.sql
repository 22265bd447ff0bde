-- When a clean stop of its server left a run running (it ends at the next start, or at a cluster peer's takeover):
-- that end is then dated when the server stopped, not when it started again (a run interrupted on Friday evening
-- and ended by Monday's start showed a weekend-long duration). NULL after a crash: nobody knew the time then.
ALTER TABLE runs ADD COLUMN stopped_at TIMESTAMP WITH TIME ZONE;
