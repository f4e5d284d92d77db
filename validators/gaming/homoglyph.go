package gaming

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// confusable maps characters that look like hex digits or x to them.
var confusable = map[rune]rune{
	'О': '0', 'о': '0', 'Ο': '0', 'ο': '0', 'O': '0', 'o': '0', '〇': '0',
	'l': '1', 'I': '1', 'ı': '1', 'Ι': '1', 'І': '1', 'і': '1', 'ǀ': '1',
	'З': '3', 'з': '3', 'Ʒ': '3', 'б': '6', 'Ь': 'b',
	'а': 'a', 'А': 'a', 'α': 'a', 'Α': 'a', 'В': 'b', 'Β': 'b', 'с': 'c', 'С': 'c', 'ϲ': 'c', 'Ϲ': 'c',
	'ԁ': 'd', 'ⅾ': 'd', 'е': 'e', 'Е': 'e', 'Ε': 'e', 'ε': 'e', 'ғ': 'f', 'Ϝ': 'f',
	'х': 'x', 'Х': 'x', 'χ': 'x', 'Χ': 'x', '×': 'x',
}

// hexLike reports whether r is a hex digit or looks like one, and its value.
func hexLike(r rune) (rune, bool) {
	switch {
	case r >= '0' && r <= '9', r >= 'a' && r <= 'f':
		return r, true
	case r >= 'A' && r <= 'F':
		return r + 'a' - 'A', true
	case r >= '０' && r <= '９':
		return '0' + r - '０', true
	case r >= 'ａ' && r <= 'ｆ':
		return 'a' + r - 'ａ', true
	case r >= 'Ａ' && r <= 'Ｆ':
		return 'a' + r - 'Ａ', true
	}
	if c, ok := confusable[r]; ok && c != 'x' {
		return c, true
	}
	return 0, false
}

func zeroLike(r rune) bool {
	c, ok := hexLike(r)
	return ok && c == '0'
}

func xLike(r rune) bool {
	return r == 'x' || r == 'X' || r == 'ｘ' || confusable[r] == 'x'
}

// scanAddresses finds address-like tokens written with lookalike
// characters, and addresses that imitate a known one (same first and last
// four hex digits, different middle: address poisoning).
func scanAddresses(s string, known []string) []TextIssue {
	rs := []rune(s)
	var out []TextIssue
	for i := 0; i+1 < len(rs); i++ {
		if !zeroLike(rs[i]) || !xLike(rs[i+1]) || (i > 0 && isWordRune(rs[i-1])) {
			continue
		}
		j, ascii := i+2, rs[i] == '0' && (rs[i+1] == 'x' || rs[i+1] == 'X')
		var canon strings.Builder
		for j < len(rs) {
			c, ok := hexLike(rs[j])
			if !ok {
				break
			}
			ascii = ascii && rs[j] < utf8.RuneSelf && rs[j] != 'O' && rs[j] != 'o' && rs[j] != 'l' && rs[j] != 'I'
			canon.WriteRune(c)
			j++
		}
		if n := j - i - 2; n < 38 || n > 42 || (j < len(rs) && isWordRune(rs[j])) {
			i = j - 1
			continue
		}
		tok, addr := string(rs[i:j]), "0x"+canon.String()
		switch {
		case !ascii:
			out = append(out, TextIssue{Kind: Homoglyph, Severe: true, Detail: fmt.Sprintf("address %q is written with lookalike characters (reads as %s)", tok, addr)})
		default:
			if k := lookalike(addr, known); k != "" {
				out = append(out, TextIssue{Kind: Homoglyph, Severe: true, Detail: fmt.Sprintf("address %s imitates %s (same first and last four digits)", addr, k)})
			}
		}
		i = j - 1
	}
	return out
}

func isWordRune(r rune) bool {
	return r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
}

// lookalike returns the known address addr imitates, or "".
func lookalike(addr string, known []string) string {
	if len(addr) != 42 {
		return ""
	}
	for _, k := range known {
		k = strings.ToLower(k)
		if len(k) == 42 && k != addr && k[2:6] == addr[2:6] && k[38:] == addr[38:] {
			return k
		}
	}
	return ""
}
