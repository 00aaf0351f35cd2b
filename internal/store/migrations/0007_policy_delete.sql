-- Deleting a policy deletes its versions and snapshots, and the database
-- then looks for rows still referring to each of them: without these
-- indexes every deleted version would scan every check run, and every
-- snapshot every version. Deliveries are found by their policy.
CREATE INDEX check_runs_version ON check_runs (version_id);
CREATE INDEX versions_snapshot ON versions (snapshot_id);
CREATE INDEX deliveries_policy ON deliveries (policy_id);
