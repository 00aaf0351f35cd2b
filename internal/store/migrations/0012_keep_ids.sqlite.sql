-- SQLite numbers a new row one past the largest id in its table, so when
-- the newest rows are deleted (a policy removed soon after it was added,
-- with its versions) their ids would be given again, and a link or a
-- notification naming one of them would show something else. The largest
-- id ever deleted from each table whose ids people see is kept here, and
-- new rows are numbered past it (dialect.nextID). PostgreSQL's sequences
-- never give an id twice.
CREATE TABLE retired_ids (
	name TEXT    PRIMARY KEY,
	id   INTEGER NOT NULL
);
{{range $table := list "policies" "versions" "subscriptions" "deliveries"}}
CREATE TRIGGER {{$table}}_retire_id AFTER DELETE ON {{$table}} BEGIN
	INSERT INTO retired_ids (name, id) VALUES ('{{$table}}', old.id)
	ON CONFLICT (name) DO UPDATE SET id = max(id, excluded.id);
END;
{{end}}
