package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/policywatch/policywatch"
	"github.com/policywatch/policywatch/internal/compress"
	"github.com/policywatch/policywatch/internal/normalize"
	"github.com/policywatch/policywatch/internal/search"
)

// The search index: search_texts holds each version's normalized text (the
// text whose lines the pages number), indexed by trigrams: SQLite's FTS5
// trigram tokenizer in search_index (its content is search_texts, kept in
// step by triggers); on PostgreSQL, a copy of the text in lower case
// (folded) with pg_trgm's GIN index. A row is written with its version and
// goes with it (foreign key). Phrases too short for trigrams are found by
// reading the texts (dialect.containing).

// indexText adds a version's text to the search index.
func indexText(ctx context.Context, tx handle, versionID int64, text string) error {
	body := normalize.Text(text)
	if !tx.d.foldsTexts() {
		_, err := tx.exec(ctx, `INSERT INTO search_texts (version_id, body) VALUES ($1, $2)
			ON CONFLICT (version_id) DO NOTHING`, versionID, body)
		return err
	}
	_, err := tx.exec(ctx, `INSERT INTO search_texts (version_id, body, folded) VALUES ($1, $2, $3)
		ON CONFLICT (version_id) DO NOTHING`, versionID, body, search.Folded(body))
	return err
}

// backfillBatch is how many versions one transaction of the back-fill
// indexes: a writer waits at most that long.
const backfillBatch = 100

// backfillSearch indexes the versions stored before the index existed, a
// batch per transaction; concurrent openers index what is still missing
// when their transaction starts (a row another one added meanwhile is left
// as it is).
func (s *Store) backfillSearch(ctx context.Context) error {
	for {
		n := 0
		err := s.write(ctx, func(tx handle) error {
			rows, err := tx.query(ctx, `SELECT v.id, v.text FROM versions v
				WHERE NOT EXISTS (SELECT 1 FROM search_texts t WHERE t.version_id = v.id)
				ORDER BY v.id LIMIT $1`, backfillBatch)
			if err != nil {
				return err
			}
			type missing struct {
				id   int64
				text []byte
			}
			batch, err := collect(rows, nil, func(row scanner) (m missing, err error) {
				return m, row.Scan(&m.id, &m.text)
			})
			if err != nil {
				return err
			}
			for _, m := range batch {
				plain, err := compress.Decompress(m.text)
				if err != nil {
					return fmt.Errorf("version %d: %w", m.id, err)
				}
				if err := indexText(ctx, tx, m.id, string(plain)); err != nil {
					return err
				}
			}
			n = len(batch)
			return nil
		})
		if err != nil || n < backfillBatch {
			return err
		}
	}
}

// backfillFolded fills the folded copies of the search texts stored
// before they were kept (PostgreSQL), a batch per transaction, in Go, so
// that they are folded exactly as phrases are (lower() in SQL would fold
// as the database's locale says: only ASCII letters under C), then builds
// their index in one pass. Concurrent openers fill what is still empty and
// build the index one at a time.
func (s *Store) backfillFolded(ctx context.Context) error {
	if !s.d.foldsTexts() {
		return nil
	}
	for {
		n := 0
		err := s.write(ctx, func(tx handle) error {
			rows, err := tx.query(ctx, `SELECT version_id, body FROM search_texts
				WHERE folded IS NULL ORDER BY version_id LIMIT $1`, backfillBatch)
			type unfolded struct {
				id   int64
				body string
			}
			batch, err := collect(rows, err, func(row scanner) (u unfolded, err error) {
				return u, row.Scan(&u.id, &u.body)
			})
			if err != nil {
				return err
			}
			for _, u := range batch {
				if _, err := tx.exec(ctx, `UPDATE search_texts SET folded = $2 WHERE version_id = $1 AND folded IS NULL`,
					u.id, search.Folded(u.body)); err != nil {
					return err
				}
			}
			n = len(batch)
			return nil
		})
		if err != nil {
			return err
		}
		if n < backfillBatch {
			break
		}
	}
	return s.write(ctx, func(tx handle) error {
		if _, err := tx.exec(ctx, s.d.xactLock, int64(migrationLockKey)); err != nil {
			return err
		}
		_, err := tx.exec(ctx, s.d.foldedIndex)
		return err
	})
}

func (s *Store) Search(ctx context.Context, q policywatch.SearchQuery) (*policywatch.SearchResult, error) {
	phrase, err := search.Parse(q.Phrase)
	if err != nil {
		return nil, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = policywatch.DefaultSearchLimit
	}
	limit = min(limit, policywatch.MaxSearchLimit)
	res := &policywatch.SearchResult{Hits: []policywatch.SearchHit{}}
	skip := max(q.Offset, 0)
	err = s.eachVersionContaining(ctx, phrase, q.AllVersions, func(v policywatch.SearchHit) (bool, error) {
		var body string
		if err := s.read().row(ctx, `SELECT body FROM search_texts WHERE version_id = $1`, v.VersionID).Scan(&body); err != nil {
			return false, fmt.Errorf("search text of version %d: %w", v.VersionID, err)
		}
		for _, m := range phrase.Lines(body) {
			if skip > 0 {
				skip--
				continue
			}
			if len(res.Hits) == limit {
				res.More = true
				return false, nil
			}
			hit := v
			hit.Line, hit.Text = m.Line, m.Text
			res.Hits = append(res.Hits, hit)
		}
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return res, s.addOrigins(ctx, phrase, res.Hits)
}

// firstStretch is how many versions a phrase is first looked for in by
// reading their texts; each next stretch is twice as long.
const firstStretch = 100

// eachVersionContaining calls fn with the versions (each policy's current
// one unless all) whose text contains the phrase, in the order of their
// hits, until fn returns false. A phrase too short for trigrams is looked
// for by reading the texts of a stretch of versions at a time, so that a
// page of hits reads the texts up to its last hit's rather than all of
// them. The trigram index finds a longer phrase's versions at once; where
// it checks every candidate's text (dialect.readsFirst), the first
// stretch is read before it is asked: a common phrase, which has the most
// candidates, fills a page there.
func (s *Store) eachVersionContaining(ctx context.Context, phrase search.Phrase, all bool, fn func(policywatch.SearchHit) (bool, error)) error {
	var read map[int64]bool // versions looked for by reading their texts
	if !phrase.Indexed() || s.d.readsFirst {
		versions, err := s.versionsWhere(ctx, "TRUE", all)
		if err != nil {
			return err
		}
		readAll := !phrase.Indexed() || len(versions) <= firstStretch
		if !readAll {
			versions = versions[:firstStretch]
		}
		if more, err := s.eachReadContaining(ctx, phrase, versions, fn); err != nil || !more || readAll {
			return err
		}
		read = make(map[int64]bool, len(versions))
		for _, v := range versions {
			read[v.VersionID] = true
		}
	}
	contains, arg := s.d.containing(phrase, "$1")
	versions, err := s.versionsWhere(ctx, contains, all, arg)
	if err != nil {
		return err
	}
	for _, v := range versions {
		if read[v.VersionID] {
			continue
		}
		if more, err := fn(v); err != nil || !more {
			return err
		}
	}
	return nil
}

// eachReadContaining calls fn with those of versions whose text contains
// the phrase, in order, reading the texts a stretch at a time; more is
// false when fn stopped.
func (s *Store) eachReadContaining(ctx context.Context, phrase search.Phrase, versions []policywatch.SearchHit,
	fn func(policywatch.SearchHit) (bool, error)) (more bool, err error) {
	for start, n := 0, firstStretch; start < len(versions); start, n = start+n, 2*n {
		stretch := versions[start:min(start+n, len(versions))]
		has, err := s.containingAmong(ctx, phrase, stretch)
		if err != nil {
			return false, err
		}
		for _, v := range stretch {
			if !has[v.VersionID] {
				continue
			}
			if more, err := fn(v); err != nil || !more {
				return false, err
			}
		}
	}
	return true, nil
}

// versionsWhere returns the versions (each policy's current one unless
// all) meeting cond, in the order of their hits: platform, policy name,
// policy, capture.
func (s *Store) versionsWhere(ctx context.Context, cond string, all bool, args ...any) ([]policywatch.SearchHit, error) {
	current := `AND v.id = (SELECT id FROM versions WHERE policy_id = p.id ORDER BY captured_at DESC, id DESC LIMIT 1)`
	if all {
		current = ""
	}
	rows, err := s.read().query(ctx, `SELECT v.id, p.id, p.name, pl.name, v.captured_at
		FROM policies p JOIN platforms pl ON pl.id = p.platform_id JOIN versions v ON v.policy_id = p.id
		WHERE `+cond+` `+current+`
		ORDER BY pl.name, p.name, p.id, v.captured_at, v.id`, args...)
	return collect(rows, err, func(row scanner) (h policywatch.SearchHit, err error) {
		return h, row.Scan(&h.VersionID, &h.PolicyID, &h.Policy, &h.Platform, at(&h.CapturedAt))
	})
}

// containingAmong says which of versions contain the phrase, reading
// their texts.
func (s *Store) containingAmong(ctx context.Context, phrase search.Phrase, versions []policywatch.SearchHit) (map[int64]bool, error) {
	contains, arg := s.d.checking(phrase, "$1")
	args := []any{arg}
	for _, v := range versions {
		args = append(args, v.VersionID)
	}
	rows, err := s.read().query(ctx, `SELECT v.id FROM versions v
		WHERE v.id IN (`+placeholders(2, len(versions))+`) AND `+contains, args...)
	ids, err := collect(rows, err, func(row scanner) (id int64, err error) {
		return id, row.Scan(&id)
	})
	has := make(map[int64]bool, len(ids))
	for _, id := range ids {
		has[id] = true
	}
	return has, err
}

// placeholders is n argument placeholders from $first on, separated by
// commas.
func placeholders(first, n int) string {
	marks := make([]string, n)
	for i := range marks {
		marks[i] = fmt.Sprintf("$%d", first+i)
	}
	return strings.Join(marks, ", ")
}

// addOrigins sets each hit's Origin: from the history of its policy, the
// first version containing the phrase and whether every later one does.
func (s *Store) addOrigins(ctx context.Context, phrase search.Phrase, hits []policywatch.SearchHit) error {
	var ids []any
	seen := map[int64]bool{}
	for _, h := range hits {
		if !seen[h.PolicyID] {
			seen[h.PolicyID] = true
			ids = append(ids, h.PolicyID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	contains, arg := s.d.checking(phrase, "$1")
	rows, err := s.read().query(ctx, `SELECT v.policy_id, v.id, v.captured_at, CASE WHEN `+contains+` THEN 1 ELSE 0 END
		FROM versions v WHERE v.policy_id IN (`+placeholders(2, len(ids))+`)
		ORDER BY v.policy_id, v.captured_at, v.id`, append([]any{arg}, ids...)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	origins := map[int64]*policywatch.PhraseOrigin{}
	for rows.Next() {
		var policyID int64
		var v policywatch.PhraseOrigin
		var has int
		if err := rows.Scan(&policyID, &v.VersionID, at(&v.CapturedAt), &has); err != nil {
			return err
		}
		o := origins[policyID]
		switch {
		case has == 1 && o == nil:
			v.Continuous = true
			origins[policyID] = &v
		case has == 0 && o != nil:
			o.Continuous = false // gone at least once since
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range hits {
		if o := origins[hits[i].PolicyID]; o != nil {
			hits[i].Origin = *o
		}
	}
	return nil
}
