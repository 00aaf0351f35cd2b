-- Change reports between two versions: one per engine and language.
CREATE TABLE analyses (
	from_version {{bigint}} NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
	to_version   {{bigint}} NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
	engine       TEXT       NOT NULL,
	lang         TEXT       NOT NULL,
	level        TEXT       NOT NULL,
	summary      TEXT       NOT NULL,
	report       {{bytes}}  NOT NULL, -- JSON, zstd-compressed
	analyzed_at  {{time}}   NOT NULL,
	PRIMARY KEY (from_version, to_version, engine, lang)
);
CREATE INDEX analyses_to ON analyses (to_version);
