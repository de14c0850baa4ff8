package argv

import "sort"

// closeMatches returns up to n choices whose similarity to word is at least
// cutoff, best first, as Python's difflib.get_close_matches does (ratio of
// SequenceMatcher, then the same ordering).
func closeMatches(word string, choices []string, n int, cutoff float64) []string {
	type scored struct {
		score float64
		s     string
	}
	var res []scored
	for _, c := range choices {
		if r := ratio(c, word); r >= cutoff {
			res = append(res, scored{r, c})
		}
	}
	// heapq.nlargest on (score, string): higher score first, then the
	// larger string first among equal scores.
	sort.SliceStable(res, func(i, j int) bool {
		if res[i].score != res[j].score {
			return res[i].score > res[j].score
		}
		return res[i].s > res[j].s
	})
	if len(res) > n {
		res = res[:n]
	}
	out := make([]string, len(res))
	for i, r := range res {
		out[i] = r.s
	}
	return out
}

// ratio is difflib.SequenceMatcher(None, a, b).ratio(): 2*M/T, where M
// counts the characters of the matching blocks found by the
// longest-common-substring recursion (with difflib's autojunk heuristic,
// which only applies to sequences of 200 or more; choices are shorter).
func ratio(a, b string) float64 {
	ra, rb := []rune(a), []rune(b)
	if len(ra)+len(rb) == 0 {
		return 1
	}
	return 2 * float64(matching(ra, rb)) / float64(len(ra)+len(rb))
}

func matching(a, b []rune) int {
	// b2j: positions of each rune in b.
	b2j := map[rune][]int{}
	for j, r := range b {
		b2j[r] = append(b2j[r], j)
	}
	var count func(alo, ahi, blo, bhi int) int
	count = func(alo, ahi, blo, bhi int) int {
		i, j, k := longest(a, b2j, alo, ahi, blo, bhi)
		if k == 0 {
			return 0
		}
		return k + count(alo, i, blo, j) + count(i+k, ahi, j+k, bhi)
	}
	return count(0, len(a), 0, len(b))
}

// longest is find_longest_match without junk: the longest common block,
// earliest in a, then earliest in b.
func longest(a []rune, b2j map[rune][]int, alo, ahi, blo, bhi int) (int, int, int) {
	besti, bestj, bestsize := alo, blo, 0
	j2len := map[int]int{}
	for i := alo; i < ahi; i++ {
		newj2len := map[int]int{}
		for _, j := range b2j[a[i]] {
			if j < blo {
				continue
			}
			if j >= bhi {
				break
			}
			k := j2len[j-1] + 1
			newj2len[j] = k
			if k > bestsize {
				besti, bestj, bestsize = i-k+1, j-k+1, k
			}
		}
		j2len = newj2len
	}
	return besti, bestj, bestsize
}
