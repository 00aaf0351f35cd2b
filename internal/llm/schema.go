package llm

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"slices"
	"strings"
	"unicode/utf8"
)

// schema is the part of JSON Schema answer.schema.json uses: type,
// properties, required, additionalProperties (false or a schema), items,
// minItems/maxItems, minLength/maxLength (in code points, as JSON Schema
// counts) and minimum/maximum, plus the annotations ($schema, title,
// description). A keyword outside that set is refused when the schema is
// read, so the file cannot gain a rule that goes unchecked.
//
// It replaces a general JSON Schema library whose package initialisation
// compiles every draft's meta-schema (about 10 ms at every start of every
// command); TestSchemaAgreesWithJSONSchema holds the two to the same verdicts.
type schema struct {
	typ        string
	properties map[string]*schema
	required   []string
	closed     bool    // additionalProperties: false
	additional *schema // additionalProperties: {…}
	items      *schema
	minItems   int
	maxItems   int // -1: no bound
	minLength  int
	maxLength  int      // -1: no bound
	minimum    *big.Rat // nil: no bound
	maximum    *big.Rat // nil: no bound
}

var annotations = []string{"$schema", "$id", "title", "description", "$comment", "examples"}

// parseSchema reads a schema document.
func parseSchema(src string) (*schema, error) {
	doc, err := decodeJSON(src)
	if err != nil {
		return nil, err
	}
	return compileSchema(doc, "")
}

func compileSchema(doc any, at string) (*schema, error) {
	obj, ok := doc.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: a schema must be an object", where(at))
	}
	s := &schema{maxItems: -1, maxLength: -1}
	for key, v := range obj {
		var err error
		switch key {
		case "type":
			t, ok := v.(string)
			if !ok || !slices.Contains([]string{"object", "array", "string", "integer", "number", "boolean", "null"}, t) {
				return nil, fmt.Errorf("%s: type %v not supported", where(at), v)
			}
			s.typ = t
		case "properties":
			props, ok := v.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("%s: properties must be an object", where(at))
			}
			s.properties = map[string]*schema{}
			for name, p := range props {
				if s.properties[name], err = compileSchema(p, at+"/properties/"+name); err != nil {
					return nil, err
				}
			}
		case "required":
			list, ok := v.([]any)
			if !ok {
				return nil, fmt.Errorf("%s: required must be an array", where(at))
			}
			for _, name := range list {
				n, ok := name.(string)
				if !ok {
					return nil, fmt.Errorf("%s: required must list names", where(at))
				}
				s.required = append(s.required, n)
			}
		case "additionalProperties":
			switch a := v.(type) {
			case bool:
				s.closed = !a
			default:
				if s.additional, err = compileSchema(a, at+"/additionalProperties"); err != nil {
					return nil, err
				}
			}
		case "items":
			if s.items, err = compileSchema(v, at+"/items"); err != nil {
				return nil, err
			}
		case "minItems":
			s.minItems, err = count(v, at, key)
		case "maxItems":
			s.maxItems, err = count(v, at, key)
		case "minLength":
			s.minLength, err = count(v, at, key)
		case "maxLength":
			s.maxLength, err = count(v, at, key)
		case "minimum", "maximum":
			n, ok := v.(json.Number)
			r, ok2 := new(big.Rat).SetString(string(n))
			if !ok || !ok2 {
				return nil, fmt.Errorf("%s: %s must be a number", where(at), key)
			}
			if key == "minimum" {
				s.minimum = r
			} else {
				s.maximum = r
			}
		default:
			if !slices.Contains(annotations, key) {
				return nil, fmt.Errorf("%s: keyword %q not supported", where(at), key)
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return s, nil
}

func count(v any, at, key string) (int, error) {
	n, ok := v.(json.Number)
	i, err := n.Int64()
	if !ok || err != nil || i < 0 {
		return 0, fmt.Errorf("%s: %s must be a non-negative integer", where(at), key)
	}
	return int(i), nil
}

func where(at string) string {
	if at == "" {
		return "at /"
	}
	return "at " + at
}

// decodeJSON decodes one JSON value, numbers kept as json.Number; anything
// after the value is an error.
func decodeJSON(src string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(src))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("invalid character after top-level value")
	}
	return doc, nil
}

// validate reports every place v breaks the schema, in one error, or nil.
func (s *schema) validate(v any) error {
	var problems []string
	s.check(v, "", &problems)
	if len(problems) == 0 {
		return nil
	}
	return errors.New(strings.Join(problems, "; "))
}

func (s *schema) check(v any, at string, problems *[]string) {
	fail := func(format string, args ...any) {
		*problems = append(*problems, where(at)+": "+fmt.Sprintf(format, args...))
	}
	if s.typ != "" && !hasType(v, s.typ) {
		fail("got %s, want %s", typeOf(v), s.typ)
		return
	}
	switch v := v.(type) {
	case map[string]any:
		for _, name := range s.required {
			if _, ok := v[name]; !ok {
				fail("missing property %q", name)
			}
		}
		names := make([]string, 0, len(v))
		for name := range v {
			names = append(names, name)
		}
		slices.Sort(names)
		for _, name := range names {
			switch p, ok := s.properties[name]; {
			case ok:
				p.check(v[name], at+"/"+name, problems)
			case s.additional != nil:
				s.additional.check(v[name], at+"/"+name, problems)
			case s.closed:
				fail("additional property %q not allowed", name)
			}
		}
	case []any:
		if len(v) < s.minItems {
			fail("%d items, want at least %d", len(v), s.minItems)
		}
		if s.maxItems >= 0 && len(v) > s.maxItems {
			fail("%d items, want at most %d", len(v), s.maxItems)
		}
		if s.items != nil {
			for i, item := range v {
				s.items.check(item, fmt.Sprintf("%s/%d", at, i), problems)
			}
		}
	case string:
		n := utf8.RuneCountInString(v)
		if n < s.minLength {
			fail("length %d, want at least %d", n, s.minLength)
		}
		if s.maxLength >= 0 && n > s.maxLength {
			fail("length %d, want at most %d", n, s.maxLength)
		}
	case json.Number:
		r, ok := new(big.Rat).SetString(string(v))
		if !ok {
			fail("invalid number %s", v)
			return
		}
		if s.minimum != nil && r.Cmp(s.minimum) < 0 {
			fail("%s is less than %s", v, s.minimum.RatString())
		}
		if s.maximum != nil && r.Cmp(s.maximum) > 0 {
			fail("%s is more than %s", v, s.maximum.RatString())
		}
	}
}

// hasType reports whether v is of the JSON Schema type t; an integer is a
// number without a fractional part (1.0 and 1e2 are integers).
func hasType(v any, t string) bool {
	switch t {
	case "integer":
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		r, ok := new(big.Rat).SetString(string(n))
		return ok && r.IsInt()
	case "number":
		_, ok := v.(json.Number)
		return ok
	}
	return typeOf(v) == t
}

func typeOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}
