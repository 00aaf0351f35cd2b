package llm

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
)

// answerSchema is what the model must answer; it is also shown to the
// model in the prompt.
//
//go:embed answer.schema.json
var answerSchema string

// answer is a model's reply once it has passed the schema.
type answer struct {
	Statements []struct {
		Text    string `json:"text"`
		Changes []int  `json:"changes"`
	} `json:"statements"`
	Changes []struct {
		ID     int    `json:"id"`
		Impact string `json:"impact"`
	} `json:"changes"`
	Conclusion string `json:"conclusion"`
}

// compiledSchema is answer.schema.json, read on first use.
var compiledSchema = sync.OnceValues(func() (*schema, error) { return parseSchema(answerSchema) })

// parseAnswer validates a model's reply against the schema and decodes it.
// Models often wrap JSON in a Markdown fence; that much is forgiven.
func parseAnswer(content string) (*answer, error) {
	content = unfence(content)
	doc, err := decodeJSON(content)
	if err != nil {
		return nil, fmt.Errorf("answer is not JSON: %w", err)
	}
	sch, err := compiledSchema()
	if err != nil {
		return nil, fmt.Errorf("answer schema: %w", err)
	}
	if err := sch.validate(doc); err != nil {
		return nil, fmt.Errorf("answer does not match the schema: %s", oneLine(err.Error()))
	}
	var a answer
	dec := json.NewDecoder(bytes.NewReader([]byte(content)))
	if err := dec.Decode(&a); err != nil {
		return nil, fmt.Errorf("answer: %w", err)
	}
	return &a, nil
}

func unfence(s string) string {
	s = strings.TrimSpace(s)
	if rest, ok := strings.CutPrefix(s, "```"); ok {
		rest = strings.TrimPrefix(rest, "json")
		if i := strings.LastIndex(rest, "```"); i >= 0 {
			rest = rest[:i]
		}
		return strings.TrimSpace(rest)
	}
	return s
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
