-- A Build-Shuttle build pushing to a docker:// destination keeps that URL's login as a project secret (sealed like
-- any other) under a random name, recorded here so it is deleted once the build is over.
ALTER TABLE shuttle_builds ADD COLUMN login_secret VARCHAR(100);
