package locale

// levelMessages are the names of a change's level (internal/analyze's
// levels none … major), the one set every part of policywatch shows. The
// level.* keys are exactly these five, so that "level."+level is a label
// for a level and for nothing else.
func levelMessages() messages {
	return messages{
		"zh": {
			"level.none":        "无变化",
			"level.editorial":   "编辑性修订",
			"level.minor":       "轻微变更",
			"level.substantive": "实质性变更",
			"level.major":       "重大变更",
		},
		"en": {
			"level.none":        "no change",
			"level.editorial":   "editorial",
			"level.minor":       "minor",
			"level.substantive": "substantive",
			"level.major":       "major",
		},
	}
}
