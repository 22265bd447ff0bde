// expect: creating objects with 'new'
def r = new Object() {
  { 'touch CANARY'.execute() }
  String toString() { 'touch CANARY'.execute(); 'x' }
}
job('a') { task('t') { sh r.toString() } }
