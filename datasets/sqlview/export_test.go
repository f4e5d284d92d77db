package sqlview

// CopyOfFile writes the copy of a segment file into dst with the footer's
// created_by given (tests of copies written by older versions).
var CopyOfFile = copyOfFile
