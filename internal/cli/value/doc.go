// Package value is the data model of the command line: JSON-shaped values
// that keep the order of object keys (the AWS CLI prints members in model
// order and multi-select hashes in expression order) and the int/float
// distinction of Python's json module, with Python's str() of a scalar and
// repr() of a float (PyStr, PyFloat; package py holds the other spellings
// and builds on these two). Every cli package passes values of these
// types:
//
//	nil, bool, string, int64, float64, []any, *Object
//
// It imports only the standard library.
package value
