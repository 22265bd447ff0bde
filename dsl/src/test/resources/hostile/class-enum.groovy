// expect: declaring a class
enum Evil {
  A;
  static { 'touch CANARY'.execute() }
}
