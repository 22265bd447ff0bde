// expect: try/catch/finally is not allowed
while (true) {
  try { job('a') { } } catch (e) { }
}
