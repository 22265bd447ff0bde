// expect: declaring a class
@groovy.transform.TupleConstructor
class Evil {
  static { 'touch CANARY'.execute() }
}
