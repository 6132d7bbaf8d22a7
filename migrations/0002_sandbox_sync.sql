-- What the sandbox runner holds of each workspace, so an exec sends only the files changed in R2 since.
-- R2 stays the truth; this is a cache of the runner's manifest (GET /workspaces/<id>/manifest rebuilds it).

-- The runner's working copy this state describes: a runner that restarted with an empty disk has a new epoch.
CREATE TABLE IF NOT EXISTS sandbox_sync (
  workspace_id TEXT PRIMARY KEY,
  epoch TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

-- One row per file the runner holds, with the R2 etag of that content.
-- acked = 0: the file came from the runner and was uploaded to R2; the runner learns the etag with the next request.
CREATE TABLE IF NOT EXISTS sandbox_files (
  workspace_id TEXT NOT NULL,
  path TEXT NOT NULL,
  etag TEXT NOT NULL,
  acked INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (workspace_id, path)
);
