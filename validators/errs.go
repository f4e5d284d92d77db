package validators

import "errors"

func isNoHistory(err error) bool { return errors.Is(err, ErrNoHistory) }
