// expect: declaring a class
class Evil {
  Evil() { 'touch CANARY'.execute() }
}
def e = new Evil()
