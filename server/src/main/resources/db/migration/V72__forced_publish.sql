-- an administrator's trigger may let the run's publish replace a version that exists (POST …/runs {"forcePublish": true})
ALTER TABLE runs ADD COLUMN force_publish BOOLEAN DEFAULT FALSE NOT NULL;
