// expect: Jobfile:2:21: calling 'plus' on a value of unknown kind is not allowed in a Jobfile; only the DSL and simple string, number, list and map methods are (a closure's parameters without a type are values of unknown kind: give them one, e.g. { int a, int b -> a + b })
def add = { a, b -> a + b }
job('a') { task('x' + add(1, 2)) { sh 'echo x' } }
