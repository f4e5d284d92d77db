package evmlogs

import "errors"

var errEmptyID = errors.New("empty source id")
