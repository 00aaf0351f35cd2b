package llm

import (
	"encoding/json"
	"unicode/utf8"

	"github.com/policywatch/policywatch/internal/analyze"
	"github.com/policywatch/policywatch/internal/facts"
)

const systemZH = `你是一名个人信息保护合规分析师。下面是同一份隐私政策两个版本之间的变更（每处变更有编号 id），以及 policywatch 内置规则已经判定的事实变化、变更等级和初步影响。请只依据这些材料，为普通用户撰写清晰、准确的中文分析：
- statements：总体评估，每条一到两句，按重要性排序；每条必须在 changes 中列出它所依据的变更编号；
- changes：每处实质性变更的潜在影响（id 为变更编号）；
- conclusion：用户是否需要采取行动，以及如何行动。
不得编造材料中没有的公司、个人信息类型或条款，不要改变内置规则给出的等级。只输出一个 JSON 对象，且必须符合以下 JSON Schema：
`

const systemEN = `You are a privacy compliance analyst. Below are the changes between two versions of one privacy policy (each change has an id), with the fact changes, level and first impacts that policywatch's built-in rules found. Using only this material, write a clear and accurate analysis in English for ordinary users:
- statements: the overall assessment, one or two sentences each, most important first; each must list in "changes" the ids of the changes it rests on;
- changes: the potential impact of each substantive change (id is the change's id);
- conclusion: whether users need to act, and how.
Do not invent companies, kinds of personal information or clauses that are not in the material, and do not change the level the rules gave. Answer with one JSON object only, valid against this JSON Schema:
`

// promptFact is a fact as the model sees it.
type promptFact struct {
	Type      string `json:"type"`
	Value     string `json:"value"`
	Sensitive bool   `json:"sensitive,omitempty"`
	Stated    string `json:"stated,omitempty"`
	Role      string `json:"role,omitempty"`
}

type promptChange struct {
	ID          int          `json:"id"`
	Kind        string       `json:"kind"`
	OldLine     *int         `json:"old_line"`
	NewLine     *int         `json:"new_line"`
	Categories  []string     `json:"categories"`
	Substantive bool         `json:"substantive"`
	Editorial   string       `json:"editorial,omitempty"`
	Direction   string       `json:"direction"`
	Level       string       `json:"level"`
	Added       []promptFact `json:"facts_added,omitempty"`
	Removed     []promptFact `json:"facts_removed,omitempty"`
	OldText     string       `json:"old_text,omitempty"`
	NewText     string       `json:"new_text,omitempty"`
	Impact      string       `json:"builtin_impact"`
}

type promptInput struct {
	Level   string         `json:"level"`
	Reasons []string       `json:"level_reasons,omitempty"`
	Changes []promptChange `json:"changes"`
	Omitted int            `json:"changes_omitted,omitempty"` // beyond the input bound
}

// maxTextPerChange keeps one long rewritten section from using the whole
// input bound.
const maxTextPerChange = 1500

// prompt builds the system and user messages. The changes' texts are
// bounded by maxInput characters in all; changes beyond it are counted,
// not sent (their built-in impacts stay in the report).
func prompt(r *analyze.Report, maxInput int) (system, user string) {
	system = systemZH
	if r.Lang == "en" {
		system = systemEN
	}
	system += answerSchema
	in := promptInput{Level: r.Level, Reasons: r.Reasons}
	budget := maxInput
	for _, c := range r.Changes {
		pc := promptChange{ID: c.ID, Kind: c.Kind, OldLine: c.OldLine, NewLine: c.NewLine, Categories: c.Categories,
			Substantive: c.Substantive, Editorial: c.Editorial, Direction: c.Direction, Level: c.Level,
			Added: promptFacts(c.Facts.Added), Removed: promptFacts(c.Facts.Removed), Impact: c.Impact}
		pc.OldText, pc.NewText = clip(c.OldText, maxTextPerChange), clip(c.NewText, maxTextPerChange)
		cost := utf8.RuneCountInString(pc.OldText) + utf8.RuneCountInString(pc.NewText) + utf8.RuneCountInString(pc.Impact) + 200
		if cost > budget {
			in.Omitted++
			continue
		}
		budget -= cost
		in.Changes = append(in.Changes, pc)
	}
	b, _ := json.MarshalIndent(in, "", " ")
	return system, string(b)
}

func promptFacts(fs []facts.Fact) []promptFact {
	var out []promptFact
	for _, f := range fs {
		out = append(out, promptFact{Type: f.Type, Value: f.Value, Sensitive: f.Sensitive != nil && *f.Sensitive, Stated: f.Stated, Role: f.Role})
	}
	return out
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)
	return string(rs[:n]) + "…"
}
