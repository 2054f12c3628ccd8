m4_dnl Read before every template. Templates hold C/C++ text, so:
m4_dnl - no comment syntax: a '#' line (#include, #pragma) must still expand macros;
m4_dnl - builtins only as m4_* (the generator runs m4 -P), so C words are safe;
m4_dnl - never write a backquote in a template: it opens an m4 string.
m4_changecom()m4_dnl
