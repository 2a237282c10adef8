import { randomKillsSuite } from "./randomKillsSuite";

randomKillsSuite("sqlite");
