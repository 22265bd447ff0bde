// expect: declaring a class
interface Evil {
  default void run() { 'touch CANARY'.execute() }
}
