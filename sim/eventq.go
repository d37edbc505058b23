package sim

// event is one entry of the event queue: fn runs when virtual time reaches at.
// Events with equal times run in the order they were scheduled (seq).
// key numbers the event's name in the engine's evKeys (0: unnamed). The
// entry is kept to 24 bytes (two 32-bit fields): moving it is the heap's
// inner loop. (seq would wrap after 4 billion events in one execution;
// horizons and step budgets keep executions far below that.)
type event struct {
	at  Time
	seq uint32
	key uint32
	fn  func()
}

// eventQueue is a binary min-heap ordered by (at, seq). It is written out
// instead of using container/heap so that push and pop do not allocate
// once the backing array has grown.
type eventQueue struct {
	items []event
	seq   uint32
}

func (q *eventQueue) len() int { return len(q.items) }

func (q *eventQueue) less(i, j int) bool {
	a, b := &q.items[i], &q.items[j]
	if a.at != b.at {
		return a.at < b.at
	}
	return a.seq < b.seq
}

func (q *eventQueue) push(at Time, key uint32, fn func()) {
	q.seq++
	q.items = append(q.items, event{at: at, seq: q.seq, fn: fn, key: key})
	i := len(q.items) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !q.less(i, p) {
			break
		}
		q.items[i], q.items[p] = q.items[p], q.items[i]
		i = p
	}
}

// peek returns the time of the earliest event; the queue must not be empty.
func (q *eventQueue) peek() Time { return q.items[0].at }

func (q *eventQueue) pop() event {
	top := q.items[0]
	n := len(q.items) - 1
	q.items[0] = q.items[n]
	q.items[n] = event{}
	q.items = q.items[:n]
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && q.less(r, l) {
			m = r
		}
		if !q.less(m, i) {
			break
		}
		q.items[i], q.items[m] = q.items[m], q.items[i]
		i = m
	}
	return top
}

// reset empties the queue, keeping its storage.
func (q *eventQueue) reset() {
	clear(q.items)
	q.items = q.items[:0]
	q.seq = 0
}
