import { randomKillsSuite } from "./randomKillsSuite";

randomKillsSuite("postgres");
