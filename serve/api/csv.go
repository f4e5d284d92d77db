package api

import "strings"

// CSVCell escapes a CSV cell against formula injection (OWASP "CSV
// Injection"): a cell that a spreadsheet could take for a formula, one
// starting with = + - @, a tab or a carriage return, gets a single quote in
// front, unless it is a plain decimal number (so -5, +3 and -1.5e3 stay
// numbers). A cell that starts with a single quote gets one more, so the
// escaping is reversible: UnescapeCSVCell removes one leading quote.
func CSVCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if isPlainNumber(s) {
			return s
		}
		return "'" + s
	case '\'':
		return "'" + s
	}
	return s
}

// UnescapeCSVCell undoes CSVCell.
func UnescapeCSVCell(s string) string { return strings.TrimPrefix(s, "'") }

// isPlainNumber reports whether s is [+-]digits[.digits][e[+-]digits]
// (at least one digit before the exponent).
func isPlainNumber(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		digits++
	}
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}
