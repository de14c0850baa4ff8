package output

import (
	"math"
	"sort"
	"strings"

	"github.com/cognate/cognate/internal/cli/py"
	"github.com/cognate/cognate/internal/cli/value"
)

// The table formatter follows awscli/formatter.py (TableFormatter) and
// awscli/table.py (MultiTable, Section): a result becomes a list of
// sections, each with an optional title, an optional header row and rows of
// strings; rendering scales every section to the widest one.

// ANSI sequences of colorama's Style and Fore, as the CLI styles tables.
const (
	ansiReset  = "\x1b[0m"
	ansiBright = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiBlue   = "\x1b[34m"
	ansiYellow = "\x1b[33m"
)

// title is a section title; Python's None (a section started for a list
// nested in a list) has no title line but counts as "None" in widths.
type title struct {
	text string
	none bool
}

func (t title) length() int {
	if t.none {
		return len("None")
	}
	return textLength(t.text)
}

type section struct {
	title     title
	headers   []string
	rows      [][]string
	indent    int
	numCols   int // -1 until the first header or row
	maxWidths []int
}

func newSection(t title, indent int) *section {
	return &section{title: t, indent: indent, numCols: -1}
}

func (s *section) addHeader(headers []string) error {
	if err := s.updateMaxWidths(headers); err != nil {
		return err
	}
	if s.numCols < 0 {
		s.numCols = len(headers)
	}
	s.headers = headers
	return nil
}

func (s *section) addRow(row []string) error {
	if s.numCols < 0 {
		s.numCols = len(row)
	}
	if len(row) != s.numCols {
		return pyErr("ValueError", "Row should have %d elements, instead it has %d", s.numCols, len(row))
	}
	s.rows = append(s.rows, row)
	return s.updateMaxWidths(row)
}

func (s *section) updateMaxWidths(row []string) error {
	if len(s.maxWidths) == 0 {
		s.maxWidths = make([]int, len(row))
		for i, e := range row {
			s.maxWidths[i] = textLength(e)
		}
		return nil
	}
	for i, e := range row {
		if i >= len(s.maxWidths) {
			return pyErr("IndexError", "list index out of range")
		}
		s.maxWidths[i] = max(s.maxWidths[i], textLength(e))
	}
	return nil
}

// columnWidths is Section.calculate_column_widths(padding, max_width): the
// column widths plus padding, scaled to maxWidth with Python's round()
// (half to even), then corrected one by one (surplus taken from the first
// columns, shortfall added to the last) so that they add up to maxWidth.
func (s *section) columnWidths(padding, maxWidth int) []int {
	widths := make([]int, len(s.maxWidths))
	total := 0
	for i, w := range s.maxWidths {
		widths[i] = w + padding
		total += widths[i]
	}
	if maxWidth < 0 || len(widths) == 0 {
		return widths
	}
	scale := float64(maxWidth) / float64(total)
	sum := 0
	for i, w := range widths {
		widths[i] = int(math.RoundToEven(scale * float64(w)))
		sum += widths[i]
	}
	off := sum - maxWidth
	for off != 0 {
		if off > 0 {
			for i := 0; i < len(widths) && off != 0; i++ {
				widths[i]--
				off--
			}
		} else {
			for i := len(widths) - 1; i >= 0 && off != 0; i-- {
				widths[i]++
				off++
			}
		}
	}
	return widths
}

// totalWidth is Section.total_width(padding=4, with_border=True,
// outer_padding=indent).
func (s *section) totalWidth() int {
	total := 0
	for _, w := range s.maxWidths {
		total += w + 4
	}
	total += 2 + 2*s.indent
	return max(total, s.title.length()+2+2*s.indent)
}

// tableBuilder is TableFormatter._build_table and its helpers.
type tableBuilder struct {
	sections []*section
	current  *section
}

func (b *tableBuilder) newSection(t title, indent int) {
	b.current = newSection(t, indent)
	b.sections = append(b.sections, b.current)
}

func cellStrings(vs []any) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = py.Str(v)
	}
	return out
}

// build adds the sections for current; t is nil for Python's title=None
// (no new section). It reports whether anything was added.
func (b *tableBuilder) build(t *string, current any, indent int) (bool, error) {
	if !py.Truthy(current) {
		return false, nil
	}
	if t != nil {
		b.newSection(title{text: *t}, indent)
	}
	switch c := current.(type) {
	case []any:
		if _, ok := c[0].(*value.Object); ok {
			var tt title
			if t == nil {
				tt.none = true
			} else {
				tt.text = *t
			}
			if err := b.subTableFromList(c, indent, tt); err != nil {
				return true, err
			}
			break
		}
		for _, item := range c {
			switch it := item.(type) {
			case *value.Object:
				// Iterating a dict yields its keys, all scalars: the
				// row is the keys.
				if err := b.current.addRow(append([]string(nil), it.Keys()...)); err != nil {
					return true, err
				}
			case []any:
				allScalar := true
				for _, e := range it {
					if !value.IsScalar(e) {
						allScalar = false
						break
					}
				}
				if allScalar {
					if err := b.current.addRow(cellStrings(it)); err != nil {
						return true, err
					}
				} else if _, err := b.build(nil, it, 0); err != nil {
					return true, err
				}
			default:
				if err := b.current.addRow([]string{py.Str(item)}); err != nil {
					return true, err
				}
			}
		}
	case *value.Object:
		if err := b.subTableFromDict(c, indent); err != nil {
			return true, err
		}
	}
	return true, nil
}

func groupScalarKeys(o *value.Object) (headers, more []string) {
	for _, k := range o.Keys() {
		v, _ := o.Get(k)
		if value.IsScalar(v) {
			headers = append(headers, k)
		} else {
			more = append(more, k)
		}
	}
	sort.Strings(headers)
	sort.Strings(more)
	return headers, more
}

func (b *tableBuilder) subTableFromDict(o *value.Object, indent int) error {
	headers, more := groupScalarKeys(o)
	switch {
	case len(headers) == 1:
		v, _ := o.Get(headers[0])
		if err := b.current.addRow([]string{headers[0], py.Str(v)}); err != nil {
			return err
		}
	case len(headers) > 1:
		if err := b.current.addHeader(headers); err != nil {
			return err
		}
		row := make([]string, len(headers))
		for i, k := range headers {
			v, _ := o.Get(k)
			row[i] = py.Str(v)
		}
		if err := b.current.addRow(row); err != nil {
			return err
		}
	}
	for _, k := range more {
		v, _ := o.Get(k)
		key := k
		if _, err := b.build(&key, v, indent+1); err != nil {
			return err
		}
	}
	return nil
}

func (b *tableBuilder) subTableFromList(items []any, indent int, t title) error {
	headerSet := map[string]bool{}
	moreSet := map[string]bool{}
	for _, e := range items {
		o, ok := e.(*value.Object)
		if !ok {
			if err := groupError(e); err != nil {
				return err
			}
			continue
		}
		h, m := groupScalarKeys(o)
		for _, k := range h {
			headerSet[k] = true
		}
		for _, k := range m {
			moreSet[k] = true
		}
	}
	headers := setToSorted(headerSet)
	more := setToSorted(moreSet)
	if err := b.current.addHeader(headers); err != nil {
		return err
	}
	for i, e := range items {
		if i > 0 && len(more) > 0 {
			b.newSection(t, indent)
			if err := b.current.addHeader(headers); err != nil {
				return err
			}
		}
		o, ok := e.(*value.Object)
		if !ok {
			return pyErr("AttributeError", "'%s' object has no attribute 'get'", py.TypeName(e))
		}
		row := make([]string, len(headers))
		for j, k := range headers {
			if v, ok := o.Get(k); ok {
				row[j] = py.Str(v)
			}
		}
		if err := b.current.addRow(row); err != nil {
			return err
		}
		for _, k := range more {
			if v, ok := o.Get(k); ok {
				key := k
				if _, err := b.build(&key, v, indent+1); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// groupError is the error Python raises while grouping the keys of a list
// element that is not a dict (TableFormatter._group_scalar_keys iterates it
// and indexes it with its own items); nil where that happens to work.
func groupError(e any) error {
	switch t := e.(type) {
	case string:
		if t != "" {
			return pyErr("TypeError", "string indices must be integers, not 'str'")
		}
	case []any:
		if len(t) > 0 {
			switch t[0].(type) {
			case int64, bool:
			default:
				return pyErr("TypeError", "list indices must be integers or slices, not %s", py.TypeName(t[0]))
			}
		}
	case nil, bool, int64, float64:
		return pyErr("TypeError", "'%s' object is not iterable", py.TypeName(e))
	}
	return nil
}

func setToSorted(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// tableRenderer is MultiTable.render with a Styler or a ColorizedStyler.
// colorama's autoreset (on when the CLI writes straight to its stdout)
// appends a reset after every write call the renderer makes.
type tableRenderer struct {
	out       []byte
	color     bool
	autoreset bool
}

func (r *tableRenderer) write(s string) {
	r.out = append(r.out, s...)
	if r.autoreset {
		r.out = append(r.out, ansiReset...)
	}
}

func (r *tableRenderer) render(sections []*section, terminalWidth int) {
	maxWidth := maxSectionWidth(sections)
	if maxWidth > terminalWidth {
		convertToVertical(sections)
		maxWidth = maxSectionWidth(sections)
	}
	r.write(strings.Repeat("-", maxWidth) + "\n")
	for _, s := range sections {
		r.renderSection(s, maxWidth)
	}
}

func maxSectionWidth(sections []*section) int {
	w := 0
	for i, s := range sections {
		if t := s.totalWidth(); i == 0 || t > w {
			w = t
		}
	}
	return w
}

// convertToVertical turns every section with headers and exactly one row
// into rows of [header, value].
func convertToVertical(sections []*section) {
	for i, s := range sections {
		if len(s.rows) != 1 || len(s.headers) == 0 {
			continue
		}
		n := newSection(s.title, s.indent)
		for j := 0; j < len(s.headers) && j < len(s.rows[0]); j++ {
			// Cannot fail: every row has two cells.
			_ = n.addRow([]string{s.headers[j], s.rows[0][j]})
		}
		sections[i] = n
	}
}

// line writes one line of a section as IndentedStream does: the left
// indent bars, the text, the right indent bars and the newline, each its
// own write.
func (r *tableRenderer) line(indent int, text string) {
	bar := "|"
	if r.color {
		bar = ansiDim + ansiYellow + "|" + ansiReset
	}
	bars := strings.Repeat(bar, indent)
	r.write(bars)
	r.write(text)
	r.write(bars)
	r.write("\n")
}

func (r *tableRenderer) renderSection(s *section, maxWidth int) {
	width := maxWidth - 2*s.indent
	if !s.title.none && s.title.text != "" {
		r.line(s.indent, centerText(s.title.text, width, "|", "|", textLength(s.title.text)))
		if len(s.headers) == 0 && len(s.rows) == 0 {
			r.line(s.indent, "+"+dashes(width-2)+"+")
		}
	}
	if len(s.headers) > 0 {
		widths := s.columnWidths(4, width)
		var b strings.Builder
		for i := 0; i < len(widths) && i < len(s.headers); i++ {
			left := ""
			if i == 0 {
				left = "|"
			}
			b.WriteString(centerText(s.headers[i], widths[i], left, "|", textLength(s.headers[i])))
		}
		r.line(s.indent, lineBreak(widths))
		r.line(s.indent, b.String())
	}
	if len(s.rows) > 0 {
		widths := s.columnWidths(4, width)
		if len(widths) == 0 {
			return
		}
		r.line(s.indent, lineBreak(widths))
		for _, row := range s.rows {
			var b strings.Builder
			for i := 0; i < len(widths) && i < len(row); i++ {
				left := ""
				if i == 0 {
					left = "|"
				}
				cell := row[i]
				styled := cell
				if r.color {
					styled = ansiBright + ansiBlue + cell + ansiReset
				}
				b.WriteString(alignLeft(styled, widths[i], left, "|", textLength(cell)))
			}
			r.line(s.indent, b.String())
		}
		r.line(s.indent, lineBreak(widths))
	}
}

func dashes(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("-", n)
}

func spaces(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat(" ", n)
}

// floorDiv is Python's // on ints.
func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// centerText is awscli.table.center_text.
func centerText(text string, length int, left, right string, textLen int) string {
	start := floorDiv(length, 2) - floorDiv(textLen, 2) - 1
	soFar := textLength(left) + start + textLen
	return left + spaces(start) + text + spaces(length-textLength(right)-soFar) + right
}

// alignLeft is awscli.table.align_left with a padding of 2 (none when the
// text would not fit).
func alignLeft(text string, length int, left, right string, textLen int) string {
	padding := 2
	if length-(textLen+2+textLength(left)+textLength(right)) < 0 {
		padding = 0
	}
	soFar := len(left) + padding + textLen
	return left + spaces(padding) + text + spaces(length-soFar-len(right)) + right
}

// lineBreak is "+----+-----+" for the column widths.
func lineBreak(widths []int) string {
	var b strings.Builder
	for i, w := range widths {
		if i == 0 {
			b.WriteString("+" + dashes(w-2) + "+")
		} else {
			b.WriteString(dashes(w-1) + "+")
		}
	}
	return b.String()
}

// formatTable is TableFormatter._format_response: nothing for a falsy
// result, else the rendered table.
func formatTable(v any, o Options, terminalWidth int, autoreset bool) ([]byte, error) {
	var b tableBuilder
	t := o.Title
	ok, err := b.build(&t, v, 0)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, nil
	}
	r := tableRenderer{color: o.Color, autoreset: o.Color && autoreset}
	r.render(b.sections, terminalWidth)
	return r.out, nil
}
