-- A project's name is one name whatever its letter case: 'Demo' and 'demo' would share a mirror on a
-- case-insensitive file system and read as one project to people. name_folded is the lower-cased name, unique. A
-- database that holds such a pair already keeps both: the oldest of each pair gets the folded name, the others none (NULLs
-- are distinct in a unique index on H2 and PostgreSQL alike), and ProjectRepository.insert refuses new ones by
-- LOWER(name) too, so no later project joins them.
ALTER TABLE projects ADD COLUMN name_folded VARCHAR(100);
UPDATE projects SET name_folded = LOWER(name) WHERE id IN (SELECT MIN(id) FROM projects GROUP BY LOWER(name));
CREATE UNIQUE INDEX projects_name_folded_unique ON projects (name_folded);
