"""Pure domain: values, rules and the plain records handed to front ends. No I/O."""
