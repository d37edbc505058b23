package sim

import (
	"fmt"
	"maps"
	"reflect"
	"sync"
	"unsafe"
)

// Checkpoint is the saved contents of an object graph of plain data, to
// put back in place later: every object reachable from a root (through
// pointers, slices, maps, interfaces and struct fields) keeps its address,
// and Restore writes back what each one held when the checkpoint was
// taken. Restoring is equivalent to starting from a copy of the graph as
// it was: objects allocated after the checkpoint become unreachable from
// the root again, and closures kept in the graph (which capture the
// objects they were made for, see StateHash) still find those objects.
//
// The graph must hold no channels or unsafe pointers. Sims and tasks are
// the engine's (see Sim.Save): pointers to them are kept, their contents
// are not walked. State that only a closure captures is not seen: model
// code keeps its state in objects reachable from the world (as state
// hashing already requires).
type Checkpoint struct {
	objs []cpObject
	maps []cpMap
	// seen indexes the objects by address and type while saving.
	seen map[ptrKey]struct{}
	skip []reflect.Type
	err  error
}

// cpObject is one object (a pointed-to value or a slice's backing array).
type cpObject struct {
	ptr   unsafe.Pointer
	size  uintptr
	dst   reflect.Value  // the object itself, writable
	saved reflect.Value  // its contents at the checkpoint
	at    unsafe.Pointer // where saved is
}

// cpMap is one map and its entries at the checkpoint.
type cpMap struct {
	m          reflect.Value // the map, writable
	keys, vals []reflect.Value
	// Maps keyed by strings or pointers with pointer or 8-byte values
	// (most of a world's) are compared and restored without reflection,
	// as maps of those shapes (same layout, same hashing): strPtr or
	// ptrWord is the map itself, and saved its entries.
	strPtr     map[string]unsafe.Pointer
	strPtrSave map[string]unsafe.Pointer
	ptrWord    map[unsafe.Pointer]uint64
	ptrWordSav map[unsafe.Pointer]uint64
}

// SaveGraph takes a checkpoint of the graph reachable from root (a
// pointer). Pointers to the types in skip are kept but not walked (data
// that never changes, such as a scenario). It fails on channels and
// unsafe pointers.
func SaveGraph(root any, skip ...reflect.Type) (*Checkpoint, error) {
	c := &Checkpoint{seen: map[ptrKey]struct{}{}, skip: append([]reflect.Type{simType, taskType}, skip...)}
	c.walk(reflect.ValueOf(root))
	c.seen = nil
	if c.err != nil {
		return nil, c.err
	}
	return c, nil
}

// Objects returns the number of objects (and slice arrays) and maps the
// checkpoint holds.
func (c *Checkpoint) Objects() (objects, maps int) { return len(c.objs), len(c.maps) }

// Restore puts every object of the graph back as it was when the
// checkpoint was taken. Objects that still hold their saved contents are
// left alone (compared, not written).
func (c *Checkpoint) Restore() {
	for i := range c.objs {
		o := &c.objs[i]
		if !memEqual(o.ptr, o.at, o.size) {
			o.dst.Set(o.saved)
		}
	}
	for i := range c.maps {
		m := &c.maps[i]
		switch {
		case m.strPtr != nil:
			restoreMap(m.strPtr, m.strPtrSave)
			continue
		case m.ptrWord != nil:
			restoreMap(m.ptrWord, m.ptrWordSav)
			continue
		}
		m.m.Clear() // other shapes (none in the shipped worlds): rewritten
		for j, k := range m.keys {
			m.m.SetMapIndex(k, m.vals[j])
		}
	}
}

// restoreMap makes m hold exactly the entries of saved.
func restoreMap[K comparable, V comparable](m, saved map[K]V) {
	if len(m) == len(saved) {
		same := true
		for k, v := range saved {
			if w, ok := m[k]; !ok || w != v {
				same = false
				break
			}
		}
		if same {
			return
		}
	}
	clear(m)
	for k, v := range saved {
		m[k] = v
	}
}

func memEqual(a, b unsafe.Pointer, n uintptr) bool {
	return unsafe.String((*byte)(a), n) == unsafe.String((*byte)(b), n)
}

// walk records the objects v refers to.
func (c *Checkpoint) walk(v reflect.Value) {
	if c.err != nil || !hasRefs(v.Type()) {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		t := v.Type()
		for _, s := range c.skip {
			if t == s {
				return
			}
		}
		c.object(t.Elem(), v.UnsafePointer())
	case reflect.Struct:
		for i := range v.NumField() {
			c.walk(v.Field(i))
		}
	case reflect.Array:
		for i := range v.Len() {
			c.walk(v.Index(i))
		}
	case reflect.Slice:
		if v.Len() == 0 {
			return
		}
		c.object(reflect.ArrayOf(v.Len(), v.Type().Elem()), v.UnsafePointer())
	case reflect.Map:
		if v.IsNil() {
			return
		}
		c.mapValue(v)
	case reflect.Interface:
		if !v.IsNil() {
			c.walk(v.Elem())
		}
	case reflect.Func, reflect.String:
	default:
		c.err = fmt.Errorf("sim: checkpoint: cannot save a %s", v.Type())
	}
}

// object records the value of type t at p, then what it refers to.
func (c *Checkpoint) object(t reflect.Type, p unsafe.Pointer) {
	if t.Size() == 0 {
		return
	}
	k := ptrKey{uintptr(p), typeID(t)}
	if _, ok := c.seen[k]; ok {
		return
	}
	c.seen[k] = struct{}{}
	dst := reflect.NewAt(t, p).Elem()
	saved := reflect.New(t).Elem()
	saved.Set(dst)
	c.objs = append(c.objs, cpObject{ptr: p, size: t.Size(), dst: dst, saved: saved, at: saved.Addr().UnsafePointer()})
	c.walk(saved)
}

// mapValue records a map's entries, then what they refer to.
func (c *Checkpoint) mapValue(v reflect.Value) {
	p := v.UnsafePointer()
	k := ptrKey{uintptr(p), typeID(v.Type())}
	if _, ok := c.seen[k]; ok {
		return
	}
	c.seen[k] = struct{}{}
	// A writable view of the same map (v may come from an unexported field).
	m := reflect.NewAt(v.Type(), unsafe.Pointer(&p)).Elem()
	e := cpMap{m: m}
	kt, vt := v.Type().Key(), v.Type().Elem()
	switch {
	case kt.Kind() == reflect.String && vt.Kind() == reflect.Pointer:
		e.strPtr = *(*map[string]unsafe.Pointer)(unsafe.Pointer(&p))
		e.strPtrSave = maps.Clone(e.strPtr)
	case kt.Kind() == reflect.Pointer && vt.Size() == 8 && !hasRefs(vt) && vt.Kind() != reflect.Float64:
		e.ptrWord = *(*map[unsafe.Pointer]uint64)(unsafe.Pointer(&p))
		e.ptrWordSav = maps.Clone(e.ptrWord)
	}
	it := m.MapRange()
	for it.Next() {
		key, val := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		key.Set(it.Key())
		val.Set(it.Value())
		e.keys = append(e.keys, key)
		e.vals = append(e.vals, val)
	}
	c.maps = append(c.maps, e)
	for i := range e.keys {
		c.walk(e.keys[i])
		c.walk(e.vals[i])
	}
}

var refsCache sync.Map // reflect.Type -> bool

// hasRefs reports whether values of t can refer to other objects.
func hasRefs(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
		return true
	case reflect.Struct, reflect.Array:
		if r, ok := refsCache.Load(t); ok {
			return r.(bool)
		}
		r := typeHasRefs(t)
		refsCache.Store(t, r)
		return r
	}
	return typeHasRefs(t)
}

func typeHasRefs(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface, reflect.Chan, reflect.UnsafePointer:
		return true
	case reflect.Struct:
		for i := range t.NumField() {
			if hasRefs(t.Field(i).Type) {
				return true
			}
		}
	case reflect.Array:
		return t.Len() > 0 && hasRefs(t.Elem())
	}
	return false
}
