package profile

import "github.com/policywatch/policywatch/internal/facts"

// SensitiveCategories are the matrix's columns of sensitive personal
// information, in the order of GB/T 35273-2020 Appendix B.
var SensitiveCategories = []string{
	"个人财产信息", "个人健康生理信息", "个人生物识别信息", "个人身份信息", "个人通信信息",
	"联系人信息", "个人上网记录", "个人位置信息", "其他信息", "未成年人信息",
}

// Row is what one policy contributes to the cross-platform matrix.
type Row struct {
	Sensitive    map[string][]facts.Fact `json:"sensitive"` // by category; first mention of each term
	ThirdParties []facts.Fact            `json:"third_parties"`
	SDKs         []facts.Fact            `json:"sdks"`
	CrossBorder  string                  `json:"cross_border"` // present, conditional, absent or ""
	// CrossBorderLine is where the transfer (or its absence) is stated.
	CrossBorderLine int `json:"cross_border_line,omitempty"`
}

// MatrixRow sums up a policy's facts for the matrix.
func MatrixRow(fs []facts.Fact) Row {
	r := Row{Sensitive: map[string][]facts.Fact{}, CrossBorder: CrossBorderStatus(fs)}
	for _, f := range fs {
		switch f.Type {
		case facts.PI:
			if f.IsSensitive() {
				r.Sensitive[f.Category] = append(r.Sensitive[f.Category], f)
			}
		case facts.ThirdParty:
			r.ThirdParties = append(r.ThirdParties, f)
		case facts.SDK:
			r.SDKs = append(r.SDKs, f)
		case facts.CrossBorder:
			if f.Stated == r.CrossBorder && r.CrossBorderLine == 0 {
				r.CrossBorderLine = f.Line
			}
		}
	}
	r.ThirdParties = firstOfEach(r.ThirdParties)
	r.SDKs = firstOfEach(r.SDKs)
	return r
}

func firstOfEach(fs []facts.Fact) []facts.Fact {
	seen := map[string]bool{}
	var out []facts.Fact
	for _, f := range fs {
		if !seen[f.Value] {
			seen[f.Value] = true
			out = append(out, f)
		}
	}
	return out
}
