package llm

import (
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestSchemaAgreesWithJSONSchema holds the built-in validator to the verdicts
// of a full JSON Schema implementation on answers right and wrong in every
// way the schema can catch.
func TestSchemaAgreesWithJSONSchema(t *testing.T) {
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(answerSchema))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("answer.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	reference, err := c.Compile("answer.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	ours, err := parseSchema(answerSchema)
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("长", 800)
	statements := make([]string, 13)
	for i := range statements {
		statements[i] = `{"text":"x","changes":[1]}`
	}
	answers := []string{
		validAnswer,
		`{"statements":[],"changes":[],"conclusion":"ok"}`,
		`{"statements":[],"changes":[]}`,
		`{"changes":[],"conclusion":"ok"}`,
		`{"statements":[],"conclusion":"ok"}`,
		`{"statements":[],"changes":[],"conclusion":""}`,
		`{"statements":[],"changes":[],"conclusion":"` + long + `"}`,
		`{"statements":[],"changes":[],"conclusion":"` + long + `长"}`,
		`{"statements":[],"changes":[],"conclusion":7}`,
		`{"statements":[],"changes":[],"conclusion":null}`,
		`{"statements":[],"changes":[],"conclusion":"ok","level":"major"}`,
		`{"statements":{},"changes":[],"conclusion":"ok"}`,
		`{"statements":[` + strings.Join(statements[:12], ",") + `],"changes":[],"conclusion":"ok"}`,
		`{"statements":[` + strings.Join(statements, ",") + `],"changes":[],"conclusion":"ok"}`,
		`{"statements":[{"text":"x","changes":["one"]}],"changes":[],"conclusion":"ok"}`,
		`{"statements":[{"text":"x","changes":[0]}],"changes":[],"conclusion":"ok"}`,
		`{"statements":[{"text":"x","changes":[-3]}],"changes":[],"conclusion":"ok"}`,
		`{"statements":[{"text":"x","changes":[1.5]}],"changes":[],"conclusion":"ok"}`,
		`{"statements":[{"text":"x","changes":[1.0]}],"changes":[],"conclusion":"ok"}`,
		`{"statements":[{"text":"x","changes":[2e0]}],"changes":[],"conclusion":"ok"}`,
		`{"statements":[{"text":"x","changes":[true]}],"changes":[],"conclusion":"ok"}`,
		`{"statements":[{"text":"x"}],"changes":[],"conclusion":"ok"}`,
		`{"statements":[{"changes":[]}],"changes":[],"conclusion":"ok"}`,
		`{"statements":[{"text":"","changes":[]}],"changes":[],"conclusion":"ok"}`,
		`{"statements":[{"text":"x","changes":[],"why":"y"}],"changes":[],"conclusion":"ok"}`,
		`{"statements":["x"],"changes":[],"conclusion":"ok"}`,
		`{"statements":[],"changes":[{"id":1,"impact":"y"}],"conclusion":"ok"}`,
		`{"statements":[],"changes":[{"id":1}],"conclusion":"ok"}`,
		`{"statements":[],"changes":[{"impact":"y"}],"conclusion":"ok"}`,
		`{"statements":[],"changes":[{"id":"1","impact":"y"}],"conclusion":"ok"}`,
		`{"statements":[],"changes":[{"id":0,"impact":"y"}],"conclusion":"ok"}`,
		`{"statements":[],"changes":[{"id":1,"impact":""}],"conclusion":"ok"}`,
		`{"statements":[],"changes":[{"id":1,"impact":"` + long + `x"}],"conclusion":"ok"}`,
		`{"statements":[],"changes":[{"id":1,"impact":"y","level":"x"}],"conclusion":"ok"}`,
		`{"statements":[],"changes":null,"conclusion":"ok"}`,
		`[]`, `"x"`, `1`, `null`,
	}
	for i, a := range answers {
		doc, err := decodeJSON(a)
		if err != nil {
			t.Fatalf("answer %d: %v", i, err)
		}
		refErr := reference.Validate(doc)
		ourErr := ours.validate(doc)
		if (refErr == nil) != (ourErr == nil) {
			t.Errorf("answer %d %.120s: jsonschema says %v, we say %v", i, a, refErr, ourErr)
		}
	}
}

func TestSchemaRefusesUnknownKeywords(t *testing.T) {
	for _, src := range []string{
		`{"type":"object","properties":{"a":{"type":"string","pattern":"^x"}}}`,
		`{"type":"object","oneOf":[]}`,
		`{"type":"thing"}`,
		`{"type":"array","maxItems":-1}`,
		`{"type":"integer","minimum":"1"}`,
	} {
		if _, err := parseSchema(src); err == nil {
			t.Errorf("%s: accepted", src)
		}
	}
}

func TestSchemaMessages(t *testing.T) {
	_, err := parseAnswer(`{"statements":[{"text":"x","changes":["one"]}],"changes":[],"level":"major"}`)
	want := []string{"schema", `at /statements/0/changes/0: got string, want integer`,
		`at /: missing property "conclusion"`, `at /: additional property "level" not allowed`}
	for _, w := range want {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error %v lacks %q", err, w)
		}
	}
	if _, err := parseAnswer(validAnswer + " {}"); err == nil || !strings.Contains(err.Error(), "not JSON") {
		t.Errorf("trailing value: %v", err)
	}
}
