package llm

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/policywatch/policywatch/internal/analyze"
	"github.com/policywatch/policywatch/internal/facts"
)

const systemZH = `你是一名个人信息保护合规分析师。下面是同一份隐私政策两个版本之间的变更（每处变更有编号 id），以及 policywatch 内置规则已经判定的结构化事实：每处变更所在章节、改动的原文分句、新增和删除的事实（个人信息种类及是否敏感、权限、接收方及其角色、用户权利及行使途径、保存期限、存储地点、跨境传输及目的地、未成年人年龄、联系方式、答复时限），判定等级的规则依据（reasons），以及全文的编辑性修订汇总。请只依据这些材料，为普通用户撰写清晰、准确的中文分析：
- statements：总体评估，每条一到两句，按重要性排序；每条必须在 changes 中列出它所依据的变更编号；
- changes：每处实质性变更（substantive 为 true）的潜在影响（id 为变更编号）；编辑性修订不必逐条说明；
- conclusion：用户是否需要采取行动，以及如何行动；只能建议 rights_in_new_version 中列出的用户权利。
事实中 elsewhere 不为空的，表示另一版本在该行仍有说明，只是移动或改写，不要说成新增或删除。不得编造材料中没有的公司、个人信息类型或条款，不要改变内置规则给出的等级。只输出一个 JSON 对象，且必须符合以下 JSON Schema：
`

const systemEN = `You are a privacy compliance analyst. Below are the changes between two versions of one privacy policy (each change has an id), with the structured facts policywatch's built-in rules found: each change's section, the changed clauses as quoted, the facts it adds and removes (kinds of personal information and whether sensitive, permissions, recipients and their roles, users' rights and the ways to exercise them, retention, storage location, cross-border transfer and destination, minors' age, contacts, response time), the rule findings behind its level (reasons), and the editorial edits over the whole text. Using only this material, write a clear and accurate analysis in English for ordinary users:
- statements: the overall assessment, one or two sentences each, most important first; each must list in "changes" the ids of the changes it rests on;
- changes: the potential impact of each substantive change (substantive true; id is the change's id); editorial edits need no impact;
- conclusion: whether users need to act, and how; recommend only rights listed in rights_in_new_version.
A fact with "elsewhere" set is still stated on that line of the other version, only moved or reworded: do not call it added or removed. Do not invent companies, kinds of personal information or clauses that are not in the material, and do not change the level the rules gave. Answer with one JSON object only, valid against this JSON Schema:
`

// promptFact is a fact as the model sees it.
type promptFact struct {
	Type        string   `json:"type"`
	Value       string   `json:"value"`
	Canonical   string   `json:"canonical,omitempty"`
	Sensitive   bool     `json:"sensitive,omitempty"`
	Category    string   `json:"category,omitempty"`
	Stated      string   `json:"stated,omitempty"`
	Destination string   `json:"destination,omitempty"`
	Role        string   `json:"role,omitempty"`
	PI          []string `json:"information,omitempty"`
	Ways        []string `json:"ways,omitempty"`
	Elsewhere   int      `json:"elsewhere,omitempty"`
}

type promptChange struct {
	ID          int              `json:"id"`
	Kind        string           `json:"kind"`
	Section     string           `json:"section,omitempty"`
	OldLine     *int             `json:"old_line"`
	NewLine     *int             `json:"new_line"`
	Categories  []string         `json:"categories"`
	Substantive bool             `json:"substantive"`
	Editorial   string           `json:"editorial,omitempty"`
	Direction   string           `json:"direction"`
	Level       string           `json:"level"`
	Reasons     []analyze.Reason `json:"reasons,omitempty"`
	Clauses     []analyze.Clause `json:"changed_clauses,omitempty"`
	Added       []promptFact     `json:"facts_added,omitempty"`
	Removed     []promptFact     `json:"facts_removed,omitempty"`
	OldText     string           `json:"old_text,omitempty"`
	NewText     string           `json:"new_text,omitempty"`
	Impact      string           `json:"builtin_impact"`
}

type promptInput struct {
	Level     string           `json:"level"`
	Reasons   []analyze.Reason `json:"level_reasons,omitempty"`
	Rights    []string         `json:"rights_in_new_version"`
	Editorial []string         `json:"editorial_edits,omitempty"`
	Changes   []promptChange   `json:"changes"`
	Omitted   int              `json:"changes_omitted,omitempty"` // beyond the input bound
}

// maxTextPerChange keeps one long rewritten section from using the whole
// input bound.
const maxTextPerChange = 1500

// prompt builds the system and user messages. Substantive changes come
// first (the report lists them so) and carry their texts; editorial ones
// are summed up by kind. The input is bounded by maxInput characters;
// changes beyond it are counted, not sent (their built-in impacts stay in
// the report).
func prompt(r *analyze.Report, maxInput int) (system, user string) {
	system = systemZH
	if r.Lang == "en" {
		system = systemEN
	}
	system += answerSchema
	in := promptInput{Level: r.Level, Reasons: firstReasons(r.Reasons, 20), Rights: r.Rights}
	for _, l := range r.EditorialLines() {
		in.Editorial = append(in.Editorial, l.Text)
	}
	budget := maxInput - utf8.RuneCountInString(fmt.Sprint(in.Editorial)) - 2000
	for _, c := range r.Changes {
		if !c.Substantive {
			continue
		}
		pc := promptChange{ID: c.ID, Kind: c.Kind, Section: c.Section, OldLine: c.OldLine, NewLine: c.NewLine, Categories: c.Categories,
			Substantive: c.Substantive, Editorial: c.Editorial, Direction: c.Direction, Level: c.Level, Reasons: c.Reasons,
			Clauses: c.Clauses, Added: promptFacts(c.Facts.Added), Removed: promptFacts(c.Facts.Removed), Impact: c.Impact}
		if len(c.Clauses) == 0 {
			pc.OldText, pc.NewText = clip(c.OldText, maxTextPerChange), clip(c.NewText, maxTextPerChange)
		}
		encoded, _ := json.Marshal(pc)
		cost := utf8.RuneCount(encoded)
		if cost > budget {
			in.Omitted++
			continue
		}
		budget -= cost
		in.Changes = append(in.Changes, pc)
	}
	b, _ := json.Marshal(in)
	return system, string(b)
}

// firstReasons are the first n distinct reasons.
func firstReasons(rs []analyze.Reason, n int) []analyze.Reason {
	var out []analyze.Reason
	seen := map[analyze.Reason]bool{}
	for _, r := range rs {
		if !seen[r] && len(out) < n {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}

func promptFacts(fs []facts.Fact) []promptFact {
	var out []promptFact
	for _, f := range fs {
		out = append(out, promptFact{Type: f.Type, Value: f.Value, Canonical: f.Canonical, Sensitive: f.IsSensitive(),
			Category: f.Category, Stated: f.Stated, Destination: f.Destination, Role: f.Role, PI: f.PI, Ways: f.Ways, Elsewhere: f.Elsewhere})
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
