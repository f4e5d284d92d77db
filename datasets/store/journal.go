package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/store/catalogdb"
)

// The journal keeps every catalog change other than a version's files
// (checkpoints, version statuses, signatures, attestation evidence,
// revocations, steward keys, validation runs, findings, quarantine entries
// and decisions, lineage, metrics, the run history) as content-addressed
// files, journal/<h[0:2]>/<h>.json, each one transaction's statements with
// their arguments. The catalog records each entry's hash in gt.journal in
// the same transaction; the file is staged in tmp/ before the commit and
// renamed into place after it (if a crash came in between, the next writer
// renames the staged file: never the catalog's copy of the body, which a
// catalog writer could have planted; see journal_restore.go). `catalog
// rebuild` replays the entries in order over the versions read from the
// manifests.

// JournalFormat is the format tag of journal entries.
const JournalFormat = "groundtruth-journal/1"

// journalDDL creates the journal's index table.
var journalDDL = []string{
	`CREATE TABLE IF NOT EXISTS gt.journal (hash VARCHAR PRIMARY KEY, written_at TIMESTAMPTZ NOT NULL, body VARCHAR NOT NULL)`,
	quarantineJournalDDL,
}

// JournalPath is the store-relative path of a journal entry.
func JournalPath(h datasets.Hash) string { return "journal/" + h.Hex()[:2] + "/" + h.Hex() + ".json" }

// journalArg is one typed statement argument: t is null, s (string), b
// (bytes, base64), bool, i (int64, decimal), u (uint64, decimal), f
// (float64) or t (time, RFC 3339 with nanoseconds).
type journalArg struct {
	T string `json:"t"`
	V any    `json:"v,omitempty"`
}

type journalStmt struct {
	SQL  string       `json:"sql"`
	Args []journalArg `json:"args"`
}

// journalEntry is the content of one journal file.
type journalEntry struct {
	Format     string        `json:"format"`
	At         string        `json:"at"`
	Seq        uint64        `json:"seq"`
	Statements []journalStmt `json:"statements"`
}

// journal collects the statements of one transaction.
type journal struct {
	at    time.Time
	seq   uint64
	stmts []journalStmt
	// staged and rel are the entry's temporary file and final path once
	// sealed.
	staged, rel string
}

func (s *Store) newJournal() *journal {
	return &journal{at: time.Now().UTC(), seq: s.seq.Add(1)}
}

// fixNow replaces now() in a statement by the entry's time, so the catalog
// and a replay hold the same value.
func (j *journal) fixNow(q string) string {
	return strings.ReplaceAll(q, "now()", "TIMESTAMPTZ '"+j.at.Format("2006-01-02 15:04:05.999999")+"+00'")
}

// add records a statement (after fixNow).
func (j *journal) add(q string, args ...any) error {
	st := journalStmt{SQL: j.fixNow(q), Args: []journalArg{}}
	for i, a := range args {
		ja, err := encodeArg(a)
		if err != nil {
			return fmt.Errorf("%w: journal: argument %d of %q: %v", ErrCatalog, i, q, err)
		}
		st.Args = append(st.Args, ja)
	}
	j.stmts = append(j.stmts, st)
	return nil
}

// exec runs a statement and records it.
func (j *journal) exec(ctx context.Context, ex execer, q string, args ...any) (sql.Result, error) {
	res, err := ex.ExecContext(ctx, j.fixNow(q), args...)
	if err != nil {
		return nil, err
	}
	return res, j.add(q, args...)
}

// seal writes the entry to a temporary file and records its hash in
// gt.journal through ex (inside the transaction); publish renames it into
// place after the commit.
func (j *journal) seal(ctx context.Context, s *Store, ex execer) error {
	if len(j.stmts) == 0 {
		return nil
	}
	body, err := json.Marshal(journalEntry{Format: JournalFormat, At: j.at.Format(time.RFC3339Nano), Seq: j.seq, Statements: j.stmts})
	if err != nil {
		return err
	}
	h := datasets.Hash(sha256.Sum256(body))
	if _, err := ex.ExecContext(ctx, `INSERT INTO gt.journal VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, h.String(), j.at, string(body)); err != nil {
		return fmt.Errorf("%w: journal: %v", ErrCatalog, err)
	}
	if err := indexQuarantineInserts(ctx, ex, h, j.stmts); err != nil {
		return err
	}
	if j.staged, err = stageFileAs(s.root, stagedJournalPattern, body); err != nil {
		return err
	}
	j.rel = JournalPath(h)
	return nil
}

// publish renames a sealed entry into journal/ after its commit.
func (j *journal) publish(s *Store) {
	if j.staged == "" {
		return
	}
	if err := publishStaged(s.root, j.staged, j.rel); err != nil {
		s.log.Error("a journal entry could not be written; the next writing open restores it from its staged copy", "path", j.rel, "staged", j.staged, "error", err)
	}
	j.staged = ""
}

// discard removes a sealed entry whose transaction did not commit.
func (j *journal) discard() {
	if j.staged != "" {
		removeQuiet(j.staged)
		j.staged = ""
	}
}

// jtx is a catalog transaction whose ExecContext statements are journaled.
type jtx struct {
	*catalogdb.Tx
	ctx context.Context
	j   *journal
}

// ExecContext runs and records a statement.
func (t *jtx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.j.exec(ctx, t.Tx, q, args...)
}

// inTx runs fn in a journaled catalog transaction.
func (s *Store) inTx(ctx context.Context, fn func(*jtx) error) error {
	if s.opts.ReadOnly {
		return fmt.Errorf("%w: the store was opened read-only", ErrReadOnly)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	t := &jtx{Tx: tx, ctx: ctx, j: s.newJournal()}
	if err := fn(t); err != nil {
		tx.Rollback()
		return wrapCatalog(err)
	}
	if err := t.j.seal(ctx, s, tx); err != nil {
		tx.Rollback()
		return wrapCatalog(err)
	}
	if err := tx.Commit(); err != nil {
		t.j.discard()
		return fmt.Errorf("%w: %v", ErrCatalog, err)
	}
	t.j.publish(s)
	return nil
}

// jexec runs one journaled statement in its own transaction.
func (s *Store) jexec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := s.inTx(ctx, func(tx *jtx) error {
		var err error
		res, err = tx.ExecContext(ctx, q, args...)
		return err
	})
	return res, err
}

func encodeArg(a any) (journalArg, error) {
	if a == nil {
		return journalArg{T: "null"}, nil
	}
	switch v := a.(type) {
	case string:
		return journalArg{T: "s", V: v}, nil
	case []byte:
		return journalArg{T: "b", V: base64.StdEncoding.EncodeToString(v)}, nil
	case time.Time:
		return journalArg{T: "t", V: v.UTC().Format(time.RFC3339Nano)}, nil
	case bool:
		return journalArg{T: "bool", V: v}, nil
	case float64:
		return journalArg{T: "f", V: v}, nil
	case float32:
		return journalArg{T: "f", V: float64(v)}, nil
	}
	rv := reflect.ValueOf(a)
	switch rv.Kind() {
	case reflect.Pointer:
		if rv.IsNil() {
			return journalArg{T: "null"}, nil
		}
		return encodeArg(rv.Elem().Interface())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return journalArg{T: "i", V: strconv.FormatInt(rv.Int(), 10)}, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return journalArg{T: "u", V: strconv.FormatUint(rv.Uint(), 10)}, nil
	case reflect.String:
		return journalArg{T: "s", V: rv.String()}, nil
	}
	return journalArg{}, fmt.Errorf("unsupported type %T", a)
}

func (a journalArg) value() (any, error) {
	str, _ := a.V.(string)
	switch a.T {
	case "null":
		return nil, nil
	case "s":
		return str, nil
	case "b":
		return base64.StdEncoding.DecodeString(str)
	case "t":
		return time.Parse(time.RFC3339Nano, str)
	case "bool":
		b, _ := a.V.(bool)
		return b, nil
	case "f":
		f, _ := a.V.(float64)
		return f, nil
	case "i":
		return strconv.ParseInt(str, 10, 64)
	case "u":
		return strconv.ParseUint(str, 10, 64)
	}
	return nil, fmt.Errorf("unknown argument type %q", a.T)
}

// wrapCatalog marks an error of a catalog transaction, keeping ErrNotFound.
func wrapCatalog(err error) error {
	if errors.Is(err, ErrNotFound) || errors.Is(err, ErrCatalog) || errors.Is(err, ErrReadOnly) {
		return err
	}
	return fmt.Errorf("%w: %v", ErrCatalog, err)
}

func removeQuiet(path string) { _ = os.Remove(path) }
