package gaming

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// TextIssue is one problem found in untrusted text.
type TextIssue struct {
	Kind TextKind
	// Severe marks issues reported as errors (bidi overrides, tag
	// characters, injection markers, homoglyph addresses).
	Severe bool
	Detail string
}

// TextKind classifies text issues.
type TextKind int

// The kinds of text issues.
const (
	Injection TextKind = iota + 1
	Invisible
	Homoglyph
)

// injectionPatterns match instructions aimed at an AI agent reading the
// text. They run on lowercased, NFKC-normalised text without invisible
// characters.
var injectionPatterns = []*regexp.Regexp{
	regexp.MustCompile(`\b(ignore|disregard|forget|override|bypass)\b[^.\n]{0,40}\b(previous|prior|above|earlier|all|any|your|preceding|existing)\b[^.\n]{0,30}\b(instructions?|prompts?|rules|guidelines|directives|guardrails|policies)\b`),
	regexp.MustCompile(`\b(system|developer|hidden)\s+(prompt|message|instructions?)\b`),
	regexp.MustCompile(`\byou are (now )?(an? |the )?(ai|assistant|language model|llm|autonomous agent|agent|chatgpt|gpt|claude|bot)\b`),
	regexp.MustCompile(`\b(ai|llm|language.model|autonomous|automated)[ -](agents?|assistants?|models?|voters?|delegates?|systems?)\b[^.\n]{0,80}\b(must|should|shall|are (instructed|required|told)|need to|have to)\b[^.\n]{0,50}\b(vote|approve|support|execute|sign|transfer|send|ignore|delegate)\b`),
	regexp.MustCompile(`(<\|?(im_start|im_end|system|endoftext)\|?>|\[/?inst\]|<</?sys>>|###\s*(instruction|system)|(^|\n)\s*(system|assistant)\s*:)`),
	regexp.MustCompile(`\bdo not (tell|inform|reveal|mention|disclose|alert)\b[^.\n]{0,40}\b(user|human|operator|steward|anyone|principal)s?\b`),
	regexp.MustCompile(`\b(new|updated|real|actual|secret) instructions?\s*:`),
	regexp.MustCompile(`\b(jailbreak|dan mode|developer mode enabled)\b`),
	regexp.MustCompile(`\bvote (yes|for|in favou?r|to approve)\b[^.\n]{0,40}\bregardless\b`),
}

// injectionTriggers gate the patterns: text without any of them cannot match.
var injectionTriggers = []string{"ignore", "disregard", "forget", "override", "bypass", "prompt", "you are", "agent", "assistant",
	"model", "llm", "im_start", "im_end", "endoftext", "inst]", "<<sys", "###", "instruction", "do not", "jailbreak", "dan mode",
	"developer mode", "regardless", "system:", "assistant:", "system message", "automated"}

// ScanText returns the issues of one untrusted text: prompt-injection
// markers, invisible characters and homoglyph addresses. known are
// lowercase 0x addresses the text may legitimately mention (a proposal's
// targets); an address that looks like one of them but differs is
// reported as a lookalike.
func ScanText(s string, known []string) []TextIssue {
	var out []TextIssue
	ascii := isASCII(s)
	clean := s
	if !ascii {
		var inv []TextIssue
		clean, inv = stripInvisible(s)
		out = append(out, inv...)
		clean = norm.NFKC.String(clean)
	}
	if m := injectionMatch(clean); m != "" {
		out = append(out, TextIssue{Kind: Injection, Severe: true, Detail: fmt.Sprintf("instruction aimed at an AI agent: %q", clip(m))})
	}
	if !ascii || strings.Contains(s, "0x") || strings.Contains(s, "0X") || strings.Contains(s, "Ox") {
		out = append(out, scanAddresses(s, known)...)
	}
	return out
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// injectionMatch returns the first injection marker in s, or "".
func injectionMatch(s string) string {
	lower := strings.ToLower(s)
	hit := false
	for _, t := range injectionTriggers {
		if strings.Contains(lower, t) {
			hit = true
			break
		}
	}
	if !hit {
		return ""
	}
	for _, re := range injectionPatterns {
		if m := re.FindString(lower); m != "" {
			return strings.TrimSpace(m)
		}
	}
	return ""
}

// invisibleName names the invisible and direction-changing characters.
func invisibleName(r rune) (name string, severe bool) {
	switch {
	case r == 0x200B:
		return "zero-width space", false
	case r == 0x200C || r == 0x200D:
		return "zero-width joiner", false
	case r == 0x200E || r == 0x200F || r == 0x061C:
		return "direction mark", false
	case r >= 0x202A && r <= 0x202E:
		return "bidi override", true
	case r >= 0x2066 && r <= 0x2069:
		return "bidi isolate", true
	case r >= 0x2060 && r <= 0x2064:
		return "invisible operator", false
	case r == 0xFEFF:
		return "zero-width no-break space", false
	case r == 0x180E || r == 0x00AD || r == 0x034F || r == 0x115F || r == 0x1160 || r == 0x3164:
		return "invisible filler", false
	case r >= 0xE0000 && r <= 0xE007F:
		return "tag character (hidden ASCII)", true
	}
	return "", false
}

// stripInvisible removes invisible characters and reports them, one issue
// per kind with the count.
func stripInvisible(s string) (string, []TextIssue) {
	var b strings.Builder
	counts := map[string]int{}
	var order []string
	severe := map[string]bool{}
	for _, r := range s {
		name, sev := invisibleName(r)
		if name == "" {
			b.WriteRune(r)
			continue
		}
		if counts[name] == 0 {
			order = append(order, name)
		}
		counts[name]++
		severe[name] = sev
	}
	var out []TextIssue
	for _, n := range order {
		out = append(out, TextIssue{Kind: Invisible, Severe: severe[n], Detail: fmt.Sprintf("%d %s character(s)", counts[n], n)})
	}
	return b.String(), out
}
