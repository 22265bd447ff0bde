// expect: declaring a class
trait Evil {
  def run() { 'touch CANARY'.execute() }
}
