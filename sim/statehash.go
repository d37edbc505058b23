package sim

import (
	"cmp"
	"math"
	"math/bits"
	"reflect"
	"slices"
	"sync"
)

// StateKey is a 128-bit fingerprint of an execution's state at a point
// where no task is alive (see Resting).
type StateKey [2]uint64

// StateHash computes a StateKey by walking plain Go data: the model's
// objects reachable from its roots, and the engine's own state.
//
// The walk follows pointers, slices, maps (in sorted key order), interfaces
// and struct fields in declaration order; a pointer seen before is hashed
// as its first-visit number, so two object graphs of the same shape hash
// alike whatever their addresses. A func value is hashed by its code: a
// closure kept in model state must capture only values fixed when it was
// made (the object that owns it, names), never state that changes later.
// Struct fields tagged `state:"-"` (report-only data such as allocation
// sites) are skipped; `state:"set"` hashes only whether the field is set.
// Channels and unsafe pointers make the state unhashable.
type StateHash struct {
	a, b uint64
	ok   bool
	ptrs map[ptrKey]uint64
	// maps are hashed after the rest of the graph, so the pointers among
	// their keys already have numbers.
	maps []reflect.Value
	buf  []mapEntry
}

// ptrKey is a pointer and its type (a struct and its first field share
// an address).
type ptrKey struct {
	p, t uintptr
}

type mapEntry struct {
	key  reflect.Value
	sort uint64
	str  string
}

// NewStateHash returns an empty fingerprint.
func NewStateHash() *StateHash { return &StateHash{ok: true, ptrs: map[ptrKey]uint64{}} }

// reset empties h for the next fingerprint, keeping its storage.
func (h *StateHash) reset() {
	h.a, h.b, h.ok = 0, 0, true
	clear(h.ptrs)
	clear(h.maps)
	h.maps = h.maps[:0]
}

// mix64 is the SplitMix64 finaliser.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// Word adds one 64-bit word: two multiply-rotate lanes, mixed at Sum.
func (h *StateHash) Word(w uint64) {
	h.a = bits.RotateLeft64((h.a^w)*0x9e3779b97f4a7c15, 27)
	h.b = bits.RotateLeft64((h.b+w)*0xc2b2ae3d27d4eb4f, 31) ^ h.a
}

// String adds a string.
func (h *StateHash) String(s string) {
	h.Word(uint64(len(s)))
	for len(s) >= 8 {
		h.Word(uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56)
		s = s[8:]
	}
	var w uint64
	for i := range len(s) {
		w |= uint64(s[i]) << (8 * i)
	}
	h.Word(w)
}

// Unhashable marks the state as one that cannot be fingerprinted.
func (h *StateHash) Unhashable() { h.ok = false }

// Value adds the object graph reachable from v.
func (h *StateHash) Value(v any) { h.value(reflect.ValueOf(v)) }

// Sum returns the fingerprint, and false if the state was unhashable.
func (h *StateHash) Sum() (StateKey, bool) {
	// mapValue may defer more maps: the loop sees them.
	for i := 0; i < len(h.maps) && h.ok; i++ {
		h.mapValue(h.maps[i])
	}
	return StateKey{mix64(h.a), mix64(h.b ^ 0x632be59bd9b4e019)}, h.ok
}

func keyOf(v reflect.Value) ptrKey { return ptrKey{v.Pointer(), typeID(v.Type())} }

// typeID identifies a type within the process (its runtime descriptor).
func typeID(t reflect.Type) uintptr { return reflect.ValueOf(t).Pointer() }

var (
	simType  = reflect.TypeFor[*Sim]()
	taskType = reflect.TypeFor[*Task]()
)

// Kind markers keep differently shaped values apart.
const (
	markNil = iota + 1
	markSeen
	markNew
	markMap
	markIface
)

func (h *StateHash) value(v reflect.Value) {
	if !h.ok {
		return
	}
	switch v.Kind() {
	case reflect.Invalid:
		h.Word(markNil)
	case reflect.Bool:
		if v.Bool() {
			h.Word(1)
		} else {
			h.Word(0)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		h.Word(uint64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		h.Word(v.Uint())
	case reflect.Float32, reflect.Float64:
		h.Word(math.Float64bits(v.Float()))
	case reflect.Complex64, reflect.Complex128:
		c := v.Complex()
		h.Word(math.Float64bits(real(c)))
		h.Word(math.Float64bits(imag(c)))
	case reflect.String:
		h.String(v.String())
	case reflect.Pointer:
		h.pointer(v)
	case reflect.Struct:
		h.structValue(v)
	case reflect.Slice:
		if v.IsNil() {
			h.Word(markNil)
			return
		}
		fallthrough
	case reflect.Array:
		n := v.Len()
		h.Word(uint64(n))
		for i := range n {
			h.value(v.Index(i))
		}
	case reflect.Map:
		if v.IsNil() {
			h.Word(markNil)
			return
		}
		h.Word(markMap)
		h.maps = append(h.maps, v)
	case reflect.Interface:
		if v.IsNil() {
			h.Word(markNil)
			return
		}
		e := v.Elem()
		h.Word(markIface)
		// The dynamic type by identity: its printed name is the same for
		// like-named types of like-named packages.
		h.Word(uint64(typeID(e.Type())))
		h.value(e)
	case reflect.Func:
		if v.IsNil() {
			h.Word(markNil)
			return
		}
		h.Word(uint64(v.Pointer()))
	default: // channels, unsafe pointers
		h.ok = false
	}
}

func (h *StateHash) pointer(v reflect.Value) {
	if v.IsNil() {
		h.Word(markNil)
		return
	}
	switch v.Type() {
	case simType:
		// The engine's state is hashed by Sim itself.
		h.Word(markSeen)
		return
	case taskType:
		// At rest every task has ended: what is left is who it was.
		t := (*Task)(v.UnsafePointer())
		h.String(t.Name)
		h.Word(uint64(t.state))
		return
	}
	k := keyOf(v)
	if n, seen := h.ptrs[k]; seen {
		h.Word(markSeen)
		h.Word(n)
		return
	}
	n := uint64(len(h.ptrs) + 1)
	h.ptrs[k] = n
	h.Word(markNew)
	h.value(v.Elem())
}

// field is what the walk needs to know of a struct field.
type field struct {
	index int
	set   bool // hash only whether it is set
}

var fieldCache sync.Map // reflect.Type -> []field

func fieldsOf(t reflect.Type) []field {
	if f, ok := fieldCache.Load(t); ok {
		return f.([]field)
	}
	var out []field
	for i := range t.NumField() {
		switch t.Field(i).Tag.Get("state") {
		case "-":
		case "set":
			out = append(out, field{index: i, set: true})
		default:
			out = append(out, field{index: i})
		}
	}
	fieldCache.Store(t, out)
	return out
}

func (h *StateHash) structValue(v reflect.Value) {
	for _, f := range fieldsOf(v.Type()) {
		fv := v.Field(f.index)
		if f.set {
			if fv.IsZero() {
				h.Word(0)
			} else {
				h.Word(1)
			}
			continue
		}
		h.value(fv)
	}
}

// mapValue hashes a map's entries in key order: keys of basic kinds by
// value, pointer keys by their first-visit number (a pointer key not met
// elsewhere in the graph makes the state unhashable).
func (h *StateHash) mapValue(m reflect.Value) {
	entries := h.buf[:0]
	it := m.MapRange()
	for it.Next() {
		k := it.Key()
		e := mapEntry{key: k}
		switch k.Kind() {
		case reflect.String:
			e.str = k.String()
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			e.sort = uint64(k.Int())
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			e.sort = k.Uint()
		case reflect.Pointer:
			n, seen := h.ptrs[keyOf(k)]
			if !seen {
				h.ok = false
				return
			}
			e.sort = n
		default:
			h.ok = false
			return
		}
		entries = append(entries, e)
	}
	slices.SortFunc(entries, func(x, y mapEntry) int {
		return cmp.Or(cmp.Compare(x.sort, y.sort), cmp.Compare(x.str, y.str))
	})
	h.Word(uint64(len(entries)))
	for _, e := range entries {
		h.Word(e.sort)
		h.String(e.str)
		h.value(m.MapIndex(e.key))
	}
	clear(entries)
	h.buf = entries[:0]
}
