package dev.vesper.data.builtin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A deterministic generator of simple children's stories, so that a new user can train something
 * meaningful with no download: varied characters, places, problems, dialogue and endings, written
 * for this project. Story {@code i} of seed {@code s} is always the same text; the default corpus
 * ({@link #DEFAULT_STORIES} stories) is well over 2 MB of distinct text.
 */
public final class StoryCorpus {
    public static final int DEFAULT_STORIES = 4000;
    public static final long DEFAULT_SEED = 20240917L;

    private static final String[] NAMES = {"Pip", "Mila", "Tomas", "Rosa", "Benji", "Lena", "Oskar", "Ada", "Finn",
        "Juno", "Theo", "Nell", "Ravi", "Kiki", "Otto", "Lulu", "Sami", "Iris", "Bruno", "Wren", "Milo", "Tess",
        "Arlo", "Pia", "Hugo", "Daisy", "Leo", "Nora", "Ezra", "Ivy", "Kofi", "Yara", "Maya", "Ruby", "Caleb",
        "Elsie", "Omar", "Zoe", "Basil", "Hazel", "Jasper", "Poppy", "Rufus", "Clara", "Dev", "Amara", "Quinn",
        "Tilly", "Max", "Suki", "Bea", "Noor", "Luca", "Greta", "Sol", "Fern", "Ollie", "Nia", "Remy", "Jules"};
    private static final String[] KINDS = {"girl", "boy", "fox", "rabbit", "bear cub", "mouse", "owl", "duck",
        "turtle", "cat", "puppy", "hedgehog", "squirrel", "frog", "goat", "lamb", "robin", "badger", "otter",
        "pony", "kitten", "hen", "beaver", "crab", "penguin", "deer", "mole", "raccoon", "snail", "little dragon",
        "robot", "elephant", "mouse", "bunny", "chick", "panda"};
    private static final String[] TRAITS = {"brave", "shy", "curious", "cheerful", "sleepy", "clever", "kind",
        "clumsy", "careful", "proud", "gentle", "noisy", "patient", "playful", "grumpy", "tiny", "quick",
        "thoughtful", "silly", "friendly", "busy", "quiet", "bouncy", "dreamy"};
    private static final String[] LIKES = {"collect smooth stones", "sing in the morning", "count the stars",
        "build towers of blocks", "bake little cakes", "splash in puddles", "draw pictures of clouds",
        "read books about the sea", "race the wind", "plant seeds", "listen to the rain", "climb trees",
        "make paper boats", "tell jokes", "dance in the kitchen", "watch the trains go by", "paint the fence",
        "look for shells", "hum little songs", "play hide and seek", "fly a kite", "feed the ducks",
        "sort buttons by color", "make up riddles", "hop over cracks", "pick berries", "wave at the moon"};
    /** Places, each with the short name later sentences use for it. */
    private static final String[][] PLACES = {
        {"a small house at the edge of the forest", "the forest"}, {"a busy town by the sea", "the harbor"},
        {"a farm with a red barn", "the farm"}, {"a village on a green hill", "the village"},
        {"a burrow under an old oak tree", "the old oak"}, {"a houseboat on a slow river", "the river"},
        {"a cottage near the mountains", "the mountains"}, {"a tall building in the city", "the city park"},
        {"a sunny meadow full of flowers", "the meadow"}, {"a snowy valley", "the valley"},
        {"a garden behind the bakery", "the bakery"}, {"an island with a white lighthouse", "the lighthouse"},
        {"a quiet street with blue doors", "the end of the street"}, {"a nest high in a pine tree", "the pine wood"},
        {"a cozy den beside a stream", "the stream"}, {"a little shop that sold hats", "the hat shop"},
        {"a windmill near the fields", "the fields"}, {"a pond with big lily pads", "the pond"},
        {"a library with a round window", "the library"}, {"a camp by the lake", "the lake"}};
    private static final String[] OBJECTS = {"red kite", "blue ball", "shiny key", "toy boat", "yellow hat",
        "favorite book", "wooden whistle", "little drum", "striped scarf", "paper crown", "music box",
        "green umbrella", "bag of marbles", "tiny bell", "soft blanket", "silver spoon", "jar of buttons",
        "picture of the sea", "lucky sock", "old map", "pair of boots", "bright lantern", "stuffed bear",
        "box of crayons"};
    private static final String[] TIMES = {"One sunny morning", "One rainy afternoon", "One windy day",
        "One quiet evening", "Early one spring morning", "On a warm summer day", "One cold winter night",
        "On a foggy autumn morning", "One bright Saturday", "Just after breakfast one day", "Late one afternoon",
        "On the first day of spring"};
    private static final String[] OPENINGS = {"Once upon a time, in {place}, there lived a {trait} {kind} named {hero}.",
        "In {place}, there was a {trait} {kind} called {hero}.",
        "{hero} was a {trait} {kind} who lived in {place}.",
        "Not far from here, in {place}, lived a {kind} named {hero}.",
        "There once was a {kind} named {hero}, and {he} lived in {place}.",
        "Long ago, in {place}, a {trait} little {kind} named {hero} had a home."};
    private static final String[] LIKE_LINES = {"{He} loved to {like}.", "More than anything, {he} liked to {like}.",
        "Every day, {hero} wanted to {like}.", "{His} favorite thing was to {like}.",
        "When {he} was happy, {he} liked to {like}."};
    private static final String[] SAID = {"said", "said", "cried", "whispered", "called out", "sighed", "exclaimed"};
    private static final String[] FEELINGS = {"happy", "proud", "warm inside", "light as a feather", "very glad",
        "full of joy", "calm and safe", "sleepy and content"};
    private static final String[] FOODS = {"apple pie", "warm soup", "honey bread", "berry jam", "carrot cake",
        "pancakes", "cheese sandwiches", "plum muffins", "rice pudding", "pea soup"};

    /** A problem: its sentences, in order; {@code |} separates variants of one step. */
    private static final String[][] PLOTS = {
        { // lost object
            "{time}, {hero} could not find {his} {object}.|{time}, {hero}'s {object} was gone.",
            "\"Where is my {object}?\" {he} {said}. \"I had it right here!\"",
            "{He} looked {spot1}, and {he} looked {spot2}, but it was not there.",
            "Then {friend} the {fkind} came by. \"What is wrong?\" {fhe} asked.|Just then, {friend} the {fkind} walked past and saw {his} sad face.",
            "\"I lost my {object},\" {hero} {said}. \"Can you help me look?\"",
            "\"Of course,\" {friend} said. \"Two pairs of eyes are better than one.\"",
            "Together they looked {spot3}. And there it was!|They walked back slowly and checked {spot3}. There was the {object}, safe and sound!",
            "{hero} hugged {friend}. \"Thank you for helping me,\" {he} said.",
            "MORAL:help"},
        { // kite in a tree
            "{time}, {hero} and {friend} the {fkind} went to fly a kite.",
            "The wind pulled the kite up, up, up, and then it got stuck in a tall tree.",
            "\"Oh no!\" {hero} {said}. \"It is too high for me.\"",
            "{friend} tried to jump, but {fhe} could not reach it either.|{friend} stood on a rock, but the branch was still too high.",
            "Then {hero} had an idea. \"If you stand on my back, maybe you can reach it.\"",
            "{friend} climbed up carefully, stretched out {fhis} arm, and pulled the kite free.",
            "The two friends ran across the field, and the kite danced in the sky again.",
            "MORAL:together"},
        { // afraid of the dark
            "{hero} was afraid of the dark.|Every night, {hero} felt scared when the lights went out.",
            "{One_night} {he} heard a strange sound outside {his} window. Tap, tap, tap.",
            "\"Who is there?\" {hero} {said} in a small voice.",
            "It was only {friend} the {fkind}, holding a {lantern}.|It was {friend} the {fkind}, who had come to say good night.",
            "\"Come and see,\" {friend} said. \"The dark is full of nice things.\"",
            "They sat together and looked up. The sky was full of stars, and the moon was round and bright.",
            "\"The dark is not so scary when you look closely,\" {hero} said with a smile.",
            "That night, {hero} fell asleep counting stars.",
            "MORAL:brave"},
        { // new neighbor
            "{time}, a new family moved in next door to {hero}.",
            "Their child was {friend}, a {ftrait} {fkind} who did not know anyone yet.",
            "{hero} wanted to say hello, but {he} felt a little shy.",
            "\"What if {fhe} does not like me?\" {hero} asked {his} mother.|{hero} peeked over the fence three times before {he} was ready.",
            "\"Just be yourself,\" {his} mother said. \"That is always enough.\"",
            "So {hero} took {his} {object} and walked over. \"Hello, I am {hero}. Do you want to play?\"",
            "{friend} smiled a big smile. \"Yes, please! I was hoping someone would ask.\"",
            "They played until the sun went down, and they were friends from then on.",
            "MORAL:friend"},
        { // broken thing
            "{time}, {hero} dropped {his} {object}, and it broke into pieces.",
            "{He} sat down and began to cry. \"It is ruined,\" {he} {said}.",
            "{friend} the {fkind} heard {him} and came over to look.",
            "\"Maybe we can fix it,\" {friend} said. \"Let us try with some glue and string.\"|\"Do not worry,\" {friend} said. \"My grandpa taught me how to mend things.\"",
            "They worked slowly and carefully. One piece, then another, then another.",
            "At last the {object} was whole again. It had a few little lines, but it worked.",
            "\"I like it even more now,\" {hero} said. \"Now it has a story.\"",
            "MORAL:patience"},
        { // the race
            "{time}, all the animals near {placeShort} had a big race.",
            "{hero} wanted to win more than anything.|{hero} had been practicing for a whole week.",
            "When the race began, {hero} ran as fast as {he} could.",
            "Halfway there, {he} saw {friend} the {fkind} sitting on the ground. {fHe} had tripped over a root.",
            "\"Are you hurt?\" {hero} asked, and {he} stopped running.",
            "\"Only a little,\" {friend} said. \"But I cannot finish now.\"",
            "{hero} helped {friend} up, and they walked to the finish line together, side by side.",
            "They came last, but everyone cheered the loudest for them.",
            "MORAL:kind"},
        { // baking
            "{time}, {hero} decided to make {food} for {his} grandmother.",
            "{He} got out a big bowl, some flour, some milk and two eggs.",
            "But {he} forgot one thing, and the {food} came out flat and sad.|But {he} put in too much salt, and the {food} tasted funny.",
            "\"Oh dear,\" {hero} {said}. \"Now I have nothing to bring.\"",
            "{friend} the {fkind} peeked into the kitchen. \"Shall we try again together?\" {fhe} asked.",
            "This time they read the recipe slowly, one line at a time.",
            "The {food} came out golden and sweet, and the whole house smelled wonderful.",
            "Grandmother smiled and said it was the best {food} she had ever eaten.",
            "MORAL:tryagain"},
        { // lost in the woods
            "{time}, {hero} followed a yellow butterfly into the woods.",
            "When {he} looked around, {he} did not know where {he} was.",
            "\"Hello?\" {hero} {said}. Only the trees answered, with a soft whoosh.",
            "{He} remembered what {his} father always said: \"If you are lost, stay calm and look for the river.\"",
            "{He} listened carefully and heard water. {He} walked toward the sound.|{He} sat on a stump, took a deep breath, and then heard the river.",
            "By the river, {he} met {friend} the {fkind}, who knew the way home.",
            "\"Follow me,\" {friend} said, \"the river always leads to the bridge.\"",
            "Soon {hero} saw {his} own front door, and {his} family came running out to hug {him}.",
            "MORAL:calm"},
        { // sick friend
            "{time}, {friend} the {fkind} was sick in bed with a cold.",
            "{hero} wanted to cheer {fhim} up.|{hero} missed playing with {fhim}.",
            "\"What can I do?\" {hero} asked {himself}.",
            "{He} made a card with a big yellow sun on it and wrote, \"Get well soon!\"",
            "Then {he} carried a pot of {food} all the way to {friend}'s house.",
            "\"You came to see me!\" {friend} said, and {fhe} smiled for the first time that day.",
            "{hero} read {fhim} a story until {fhe} fell asleep.",
            "A few days later, {friend} was well again, and the two of them played in the sun.",
            "MORAL:kind"},
        { // seeds
            "{time}, {hero} planted some seeds in a small pot.",
            "The next morning, {he} ran to look. Nothing had grown.|{He} checked the pot after lunch. Still nothing.",
            "\"Why is it taking so long?\" {hero} {said}.",
            "{friend} the {fkind} laughed kindly. \"Seeds need water, sun and time,\" {fhe} said.",
            "So every day {hero} gave the pot a little water and put it by the window.",
            "One week later, a tiny green leaf poked out of the soil.",
            "After a month, there was a flower as bright as the sun.",
            "\"It was worth the wait,\" {hero} said.",
            "MORAL:patience"},
        { // birthday surprise
            "{time}, {hero} remembered that it was {friend}'s birthday.",
            "{He} had no money for a present, so {he} thought and thought.",
            "\"I know!\" {hero} {said}. \"I will make something myself.\"",
            "{He} found some paper, some ribbon and {his} {object}, and got to work.|{He} picked wild flowers from {placeShort} and tied them with string.",
            "When {friend} opened the gift, {fhis} eyes went wide.",
            "\"You made this for me?\" {friend} asked. \"It is the best present of all.\"",
            "They ate {food} and sang songs until the stars came out.",
            "MORAL:giving"},
        { // sharing
            "{time}, {hero} and {friend} the {fkind} both wanted to play with the same {object}.",
            "\"It is mine!\" said {hero}. \"No, it is my turn!\" said {friend}.",
            "They pulled and pulled, and they both felt grumpy.",
            "Then {hero} stopped. \"This is not fun at all,\" {he} said.|Then an old owl in the tree said, \"Why not take turns?\"",
            "So they took turns. First {hero} had the {object}, and then {friend} did.",
            "Soon they made up a new game that needed two players.",
            "The new game was much more fun than playing alone.",
            "MORAL:share"},
        { // first day of school
            "{time}, it was {hero}'s first day at school.",
            "{His} tummy felt full of butterflies.|{He} held {his} {object} very tight.",
            "\"What if nobody talks to me?\" {he} whispered.",
            "At school, {he} sat next to {friend}, a {ftrait} {fkind} with a big smile.",
            "\"I like your {object},\" {friend} said. \"Do you want to sit with me at lunch?\"",
            "{hero} nodded, and the butterflies in {his} tummy flew away.",
            "At the end of the day, {hero} ran home and said, \"School is great! Can I go again tomorrow?\"",
            "MORAL:friend"},
        { // snowman
            "{time}, snow covered everything near {placeShort}.",
            "{hero} and {friend} the {fkind} built a big snowman with a carrot nose and {object}.",
            "They named him Mister Frost, and they said good night to him.",
            "But the next day the sun came out, and Mister Frost began to melt.",
            "\"Oh no, he is going away!\" {hero} {said}.",
            "{friend} put an arm around {him}. \"He is turning into water for the flowers,\" {fhe} said.",
            "In the spring, flowers grew just where Mister Frost had stood.",
            "\"Hello again, Mister Frost,\" {hero} said softly.",
            "MORAL:change"},
        { // hurt bird
            "{time}, {hero} found a little bird with a hurt wing.",
            "The bird could not fly, and it looked very scared.",
            "\"Do not worry, little one,\" {hero} {said}. \"I will help you.\"",
            "{He} made a soft nest in a box with {his} {object} and gave the bird some water.|{He} carried the bird home in {his} hat, very gently.",
            "{friend} the {fkind} came to help every day, and they fed the bird seeds.",
            "After two weeks, the wing was strong again.",
            "They opened the box, and the bird flew up into the sky. It circled once, as if to say thank you.",
            "MORAL:kind"},
        { // big storm
            "{time}, dark clouds rolled over {placeShort}, and a big storm came.",
            "The wind howled, and the rain fell hard on the roof.",
            "{hero} hid under {his} {object}. \"I do not like storms,\" {he} {said}.",
            "{friend} the {fkind} knocked on the door, wet from head to toe.|Then the lights went out, and {friend} the {fkind} came in with a candle.",
            "\"Let us tell stories until it passes,\" {friend} said.",
            "They told stories about dragons, pirates and a cat who could fly.",
            "By the time the last story ended, the storm was gone and a rainbow stretched across the sky.",
            "MORAL:together"},
        { // tidy room
            "{time}, {hero}'s room was a terrible mess.",
            "There were toys on the floor, socks on the lamp and crumbs in the bed.",
            "\"I can never find anything,\" {hero} {said}. \"Where is my {object}?\"",
            "{friend} the {fkind} came to help. \"Let us make it a game,\" {fhe} said. \"Who can tidy the most in one song?\"",
            "They sang and sorted, and sang and folded, and sang and swept.",
            "Under the very last pile, they found the {object}!",
            "\"Tidying is more fun with a friend,\" {hero} said.",
            "MORAL:together"},
        { // boat on the river
            "{time}, {hero} made a little boat out of bark and a leaf.",
            "{He} put it in the stream and watched it float away.",
            "But the boat sailed toward a rock and got stuck.|Then a little waterfall tipped the boat over.",
            "\"My boat!\" {hero} {said}. \"It will never reach the sea now.\"",
            "{friend} the {fkind} waded in and gave the boat a gentle push.",
            "\"Every boat needs a little help sometimes,\" {friend} said.",
            "The boat bobbed along, around the bend and out of sight, off to see the world.",
            "MORAL:help"},
        { // picnic and rain
            "{time}, {hero} and {friend} the {fkind} packed a basket with {food} and went for a picnic.",
            "They spread a blanket on the grass near {placeShort} and sat down to eat.",
            "Just then, big grey clouds came, and fat drops of rain began to fall.|But soon the wind picked up, and the rain began to pour.",
            "\"Our picnic is ruined!\" {hero} {said}.",
            "{friend} looked around and pointed at a big old tree. \"Not yet,\" {fhe} said. \"Follow me!\"",
            "They ran under the wide branches and ate their {food} while the rain pattered on the leaves.",
            "When the rain stopped, the whole world smelled fresh and green.",
            "MORAL:change"},
        { // learning to swim
            "{time}, {hero} wanted to swim across the pond, but {he} did not know how.",
            "Every time {he} put {his} face in the water, {he} came up coughing.",
            "\"I will never learn,\" {hero} {said}, and {he} sat on the bank.",
            "{friend} the {fkind} sat down next to {him}. \"I could not swim either, at first,\" {fhe} said.",
            "\"Start with your feet. Kick, kick, kick. Then your arms. One thing at a time.\"",
            "{hero} practiced every morning. Kick, kick, kick. Then arms. Then breathing.|{hero} tried again the next day, and the day after that.",
            "At the end of the summer, {hero} swam all the way across the pond, and {friend} cheered from the other side.",
            "MORAL:tryagain"},
        { // missing cookies
            "{time}, a whole plate of cookies disappeared from the kitchen table.",
            "\"Who ate the cookies?\" asked {hero}'s mother. Everyone shook their heads.",
            "{hero} decided to be a detective. {He} found crumbs on the floor, and the crumbs made a little trail.",
            "The trail went past the door, under the fence and all the way to {placeShort}.",
            "There, {he} found {friend} the {fkind}, with crumbs all over {fhis} face.|At the end of the trail sat {friend} the {fkind}, looking very guilty.",
            "\"I am sorry,\" {friend} said. \"They smelled so good, and I was so hungry.\"",
            "{hero} laughed. \"Next time, just ask. We can bake some more together.\"",
            "And that afternoon they baked twice as many cookies and shared them with everyone.",
            "MORAL:share"},
        { // the school show
            "{time}, {hero} was going to sing in the school show.",
            "But when {he} saw all the people, {his} knees began to shake.|But backstage, {his} mouth went dry and {his} hands felt cold.",
            "\"I cannot do it,\" {hero} whispered. \"Everyone is looking.\"",
            "{friend} the {fkind} squeezed {his} hand. \"Look at me when you sing,\" {fhe} said. \"Just me.\"",
            "So {hero} walked out, found {friend}'s face in the crowd, and began to sing.",
            "{His} voice was small at first, and then it grew and grew until it filled the room.",
            "When the song ended, everyone clapped, and {hero} took a very deep bow.",
            "MORAL:brave"},
        { // the treehouse
            "{time}, {hero} and {friend} the {fkind} decided to build a treehouse.",
            "They found old boards, a bag of nails and a long rope.",
            "The first wall fell down. The second wall leaned to one side.",
            "\"Maybe we are too small to build a house,\" {hero} {said}.|\"This is harder than it looks,\" {hero} {said}, rubbing {his} thumb.",
            "{friend} drew a plan on a piece of paper. \"Let us go slowly,\" {fhe} said, \"and measure twice.\"",
            "Board by board, day by day, the treehouse grew.",
            "At last they sat inside it, high in the branches, and watched the sun go down over {placeShort}.",
            "MORAL:together"},
        { // the lost puppy
            "{time}, {hero} found a small puppy sitting all alone by the road.",
            "The puppy had a red collar with a little tag, but it was shivering.|The puppy was wet and muddy, and it gave a tiny whimper.",
            "\"Are you lost?\" {hero} asked softly. The puppy wagged its tail.",
            "{hero} and {friend} the {fkind} read the tag. It said a name and a street.",
            "They walked up and down the street, knocking on doors, until an old man opened one.",
            "\"Biscuit!\" he cried, and the puppy jumped into his arms. \"I have been looking everywhere!\"",
            "The old man thanked them and gave them each a slice of {food}.",
            "MORAL:help"},
        { // the sled and the hill
            "{time}, {hero} pulled {his} sled to the top of the biggest hill near {placeShort}.",
            "It looked very steep from up there.",
            "\"Maybe I will go down the small hill instead,\" {hero} {said}.",
            "{friend} the {fkind} climbed onto the sled behind {him}. \"Let us go together,\" {fhe} said. \"Hold on tight!\"",
            "Whoosh! Down they went, faster and faster, with snow flying all around.",
            "At the bottom they tumbled into a soft pile of snow, laughing so hard they could not stand up.",
            "\"Again!\" shouted {hero}. And they went up the hill again, and again, and again.",
            "MORAL:brave"},
        { // helping grandpa
            "{time}, the wind had knocked down part of grandpa's fence.",
            "Grandpa's back was sore, so {hero} offered to help.",
            "{He} carried the tools, held the boards straight, and handed grandpa one nail at a time.",
            "\"You are a fine helper,\" grandpa said. \"Would you like to try the hammer?\"",
            "{hero} hit the nail once, twice, three times. It went in a little crooked, but it held.|{hero} missed the first nail, but the second one went in straight and true.",
            "{friend} the {fkind} came by and painted the new boards a bright blue.",
            "By supper time the fence stood tall again, and grandpa told them a story about when he was small.",
            "MORAL:helping"},
    };
    private static final String[] SPOTS = {"under the bed", "behind the door", "in the tall grass", "near the pond",
        "inside an old boot", "on the top shelf", "in the garden", "under the big table", "behind the curtains",
        "in the toy box", "by the front gate", "next to the flower pot", "in the laundry basket", "under a pile of leaves"};
    private static final Map<String, String[]> MORALS = new HashMap<>();

    static {
        MORALS.put("help", new String[] {"From that day on, {hero} knew that asking for help is a brave thing to do.",
            "{hero} learned that friends are there to help, and that helping back feels just as good.",
            "And {hero} never forgot the day a friend helped {him}."});
        MORALS.put("together", new String[] {"Some things are too big for one, but just right for two.",
            "{hero} and {friend} learned that together they could do almost anything.",
            "From then on, whenever something was hard, they did it together."});
        MORALS.put("brave", new String[] {"{hero} learned that being brave means trying, even when you are a little scared.",
            "After that night, {hero} was not so afraid anymore.",
            "And from then on, {hero} left the curtain open just a little, to see the stars."});
        MORALS.put("friend", new String[] {"Sometimes the best friends are the ones you have not met yet.",
            "{hero} learned that saying hello is the first step to a new friendship.",
            "And that is how {hero} and {friend} became the best of friends."});
        MORALS.put("patience", new String[] {"{hero} learned that good things take time and care.",
            "Being patient was hard, but {hero} found that it was worth it.",
            "And {hero} learned that slow and careful can be the best way."});
        MORALS.put("kind", new String[] {"{hero} learned that being kind is better than being first.",
            "A little kindness made the whole day brighter.",
            "Everyone agreed that {hero} had the kindest heart in {placeShort}."});
        MORALS.put("tryagain", new String[] {"{hero} learned that if at first you do not succeed, you can try again.",
            "Mistakes are just the first step to getting it right.",
            "And {hero} learned that a friend can make a second try taste even better."});
        MORALS.put("calm", new String[] {"{hero} learned that staying calm helps you find your way.",
            "From then on, {hero} always remembered to listen for the river.",
            "And {hero} never followed a butterfly quite so far again."});
        MORALS.put("giving", new String[] {"{hero} learned that the best gifts come from the heart.",
            "A present made with love is worth more than gold.",
            "And {friend} kept the gift for many, many years."});
        MORALS.put("share", new String[] {"{hero} and {friend} learned that sharing makes fun bigger.",
            "Taking turns turned a fight into a game.",
            "From that day on, they always found a way to share."});
        MORALS.put("helping", new String[] {"{hero} learned that helping is a gift you can give every day.",
            "Many hands make hard work light.",
            "And whenever {hero} walked past the blue fence, {he} smiled."});
        MORALS.put("change", new String[] {"{hero} learned that when things change, something new can begin.",
            "Nothing really goes away; it just becomes something else.",
            "And every winter after that, they built a new Mister Frost."});
    }

    private static final String[] CLOSINGS = {"That night, {hero} went to bed feeling {feeling}.",
        "{hero} felt {feeling} all the way home.", "The end.", "And they all had {food} for supper.",
        "{hero} smiled. It had been a very good day.", "The sun went down, and {hero} felt {feeling}.", ""};

    /** "a owl" becomes "an owl". */
    private static final java.util.regex.Pattern AN = java.util.regex.Pattern.compile("\\b([Aa]) ([aeiou])");

    private final long seed;

    public StoryCorpus() {
        this(DEFAULT_SEED);
    }

    public StoryCorpus(long seed) {
        this.seed = seed;
    }

    /** The stories {@code 0 .. count-1}. */
    public List<String> stories(int count) {
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(story(i));
        }
        return out;
    }

    /** Story number {@code index}: the same text for the same seed and index, always. */
    public String story(long index) {
        SplittableRandom r = new SplittableRandom(mix(seed * 0x9E3779B97F4A7C15L + index));
        Map<String, String> v = cast(r);
        StringBuilder sb = new StringBuilder();
        String[] plot = PLOTS[r.nextInt(PLOTS.length)];
        sentence(sb, pick(r, OPENINGS), v);
        if (r.nextInt(3) > 0) {
            sentence(sb, pick(r, LIKE_LINES), v);
        }
        sb.append("\n\n");
        int paragraph = 0;
        for (String step : plot) {
            if (step.startsWith("MORAL:")) {
                sb.append("\n\n");
                sentence(sb, pick(r, MORALS.get(step.substring(6))), v);
                break;
            }
            String[] variants = step.split("\\|");
            sentence(sb, variants[r.nextInt(variants.length)], v);
            v.put("said", fill(pick(r, SAID), v));
            if (++paragraph % 3 == 0 && r.nextBoolean()) {
                sb.append("\n\n");
            }
        }
        sentence(sb, pick(r, CLOSINGS), v);
        String text = sb.toString().replace(" \n", "\n").replaceAll("\n{3,}", "\n\n").strip();
        return AN.matcher(text).replaceAll("$1n $2");
    }

    private static Map<String, String> cast(SplittableRandom r) {
        Map<String, String> v = new HashMap<>();
        String hero = pick(r, NAMES);
        String friend = pick(r, NAMES);
        while (friend.equals(hero)) {
            friend = pick(r, NAMES);
        }
        boolean she = r.nextBoolean();
        boolean fshe = r.nextBoolean();
        String kind = pick(r, KINDS);
        if (kind.equals("girl")) {
            she = true;
        } else if (kind.equals("boy")) {
            she = false;
        }
        String fkind = pick(r, KINDS);
        if (fkind.equals("girl")) {
            fshe = true;
        } else if (fkind.equals("boy")) {
            fshe = false;
        }
        String[] place = PLACES[r.nextInt(PLACES.length)];
        v.put("hero", hero);
        v.put("kind", kind);
        v.put("friend", friend);
        v.put("fkind", fkind);
        v.put("trait", pick(r, TRAITS));
        v.put("ftrait", pick(r, TRAITS));
        v.put("like", pick(r, LIKES));
        v.put("place", place[0]);
        v.put("placeShort", place[1]);
        v.put("object", pick(r, OBJECTS));
        v.put("food", pick(r, FOODS));
        v.put("time", pick(r, TIMES));
        v.put("feeling", pick(r, FEELINGS));
        v.put("lantern", r.nextBoolean() ? "little lantern" : "jar of fireflies");
        v.put("One_night", r.nextBoolean() ? "One night," : "Late one night,");
        String[] spots = pick3(r, SPOTS);
        v.put("spot1", spots[0]);
        v.put("spot2", spots[1]);
        v.put("spot3", spots[2]);
        pronouns(v, "", she);
        pronouns(v, "f", fshe);
        v.put("himself", she ? "herself" : "himself");
        v.put("said", "said");
        return v;
    }

    private static void pronouns(Map<String, String> v, String prefix, boolean she) {
        v.put(prefix + "he", she ? "she" : "he");
        v.put(prefix + "He", she ? "She" : "He");
        v.put(prefix + "his", she ? "her" : "his");
        v.put(prefix + "His", she ? "Her" : "His");
        v.put(prefix + "him", she ? "her" : "him");
    }

    private static void sentence(StringBuilder sb, String template, Map<String, String> v) {
        if (template.isEmpty()) {
            return;
        }
        if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '\n') {
            sb.append(' ');
        }
        sb.append(fill(template, v));
    }

    private static String fill(String template, Map<String, String> v) {
        StringBuilder out = new StringBuilder(template.length() + 32);
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            int close = c == '{' ? template.indexOf('}', i) : -1;
            if (close > i) {
                String value = v.get(template.substring(i + 1, close));
                if (value == null) {
                    throw new IllegalStateException("story template uses an unknown slot: " + template.substring(i, close + 1));
                }
                out.append(value);
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String pick(SplittableRandom r, String[] options) {
        return options[r.nextInt(options.length)];
    }

    private static String[] pick3(SplittableRandom r, String[] options) {
        int a = r.nextInt(options.length);
        int b = (a + 1 + r.nextInt(options.length - 1)) % options.length;
        int c;
        do {
            c = r.nextInt(options.length);
        } while (c == a || c == b);
        return new String[] {options[a], options[b], options[c]};
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
