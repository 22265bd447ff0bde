// expect: declaring a class
class Evil {
  static String s = 'touch CANARY'.execute().text
}
