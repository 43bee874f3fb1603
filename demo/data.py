"""Word lists for ``demo.services``: names from many cultures and scripts, places, work, interests.

Built in (not Faker) so that ``seed_demo`` works on a production install. Everything here is
fictional or generic: companies are made up and every email domain is reserved (example.*, .example).

Name lists are comma-separated. ``"Иванова|Ivanova/Иванов|Ivanov"`` reads: female form / male form,
each as native script | Latin transliteration. A name without "/" fits both; one without "|" is
written the same way in both renderings.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Culture:
    weight: int
    given_f: str
    given_m: str
    family: str
    # (country, calling code, cities)
    places: tuple[tuple[str, str, str], ...]
    # Share of names written in their native script (only for entries that have one).
    native_share: float = 0.0
    # Native rendering puts the family name first (佐藤花子, Nguyễn Thị Lan, Nagy Zsófia).
    family_first: bool = False
    # Joins the parts of a native name ("" for Chinese, Japanese, Korean).
    joiner: str = " "
    middle: str = ""
    middle_share: float = 0.0
    # A second family name (Spanish, Portuguese): "García Muñoz".
    second_family_share: float = 0.0


CULTURES: tuple[Culture, ...] = (
    Culture(  # English (UK)
        weight=12,
        given_f="Amelia, Isla, Freya, Zoë, Emily, Hannah, Charlotte, Poppy, Imogen, Harriet, Ruby, "
        "Eleanor, Phoebe, Rosie, Alice, Matilda, Jess, Naomi",
        given_m="Oliver, Harry, George, Alfie, Jack, Tom, Archie, Rory, Callum, Hugo, Theo, Ben, "
        "Felix, Arthur, Sam, Joe, Dominic, Rhys",
        family="Smith, Jones, Taylor, Brown, Williams, Wilson, Evans, Thomas, Roberts, Walker, "
        "Wright, Hughes, Green, Hall, Clarke, Lewis, Harrison, Ashworth, Pemberton, Fairclough, "
        "Holloway, Whitfield",
        places=(
            (
                "United Kingdom",
                "+44",
                "London, Manchester, Bristol, Leeds, Brighton, Oxford, "
                "Cambridge, Sheffield, Norwich",
            ),
            ("United Kingdom", "+44", "Edinburgh, Glasgow, Cardiff, Belfast"),
        ),
        middle="A., J., M., R., E., L.",
        middle_share=0.08,
    ),
    Culture(  # Irish
        weight=3,
        given_f="Éabha, Gráinne, Muireann, Ailbhe, Deirbhile, "
        "Siobhán, Niamh, Aoife, Róisín, Caoimhe, Saoirse, Orla, Sinéad, Clodagh",
        given_m="Ruairí, Cathal, Diarmuid, Fionn, Odhrán, "
        "Seán, Ciarán, Oisín, Cian, Pádraig, Eoin, Darragh, Colm, Tadhg",
        family="Ryan, O'Connor, O'Neill, Quinn, Gallagher, Keane, Lynch, Fitzgerald, "
        "Murphy, O'Brien, Kelly, O'Sullivan, Walsh, Byrne, McCarthy, Doyle, Brennan, "
        "Ní Shúilleabháin/Ó Súilleabháin, Ní Bhriain/Ó Briain",
        places=(("Ireland", "+353", "Dublin, Cork, Galway, Limerick"),),
    ),
    Culture(  # American
        weight=5,
        given_f="Madison, Kayla, Brooke, Aaliyah, Jasmine, Savannah, Avery, Harper, Destiny, "
        "Maya, Riley",
        given_m="Ethan, Tyler, Jordan, Marcus, DeShawn, Logan, Caleb, Hunter, Jaylen, Wyatt, Malik",
        family="Johnson, Miller, Davis, Anderson, Jackson, Harris, Robinson, Washington, Coleman, "
        "Brooks, Sullivan, Ramirez",
        places=(
            (
                "United States",
                "+1",
                "New York, Chicago, San Francisco, Austin, Seattle, Boston, "
                "Portland, Denver, Atlanta",
            ),
            ("Canada", "+1", "Toronto, Vancouver, Calgary"),
        ),
        middle="J., M., R., T., K.",
        middle_share=0.15,
    ),
    Culture(  # French
        weight=7,
        given_f="Camille, Juliette, Manon, Solène, Bérénice, Océane, Capucine, Héloïse, "
        "Zoé, Hélène, Cécile, Léa, Anaïs, Margaux, Chloé, Inès, Gaëlle, Élodie, Maëlle, "
        "Célia, Noémie, Agnès, Mathilde",
        given_m="Mathéo, Lucas, Jules, Antoine, Rémi, Thibault, Grégoire, Timothée, "
        "Émile, Théo, Benoît, Jérôme, François, Loïc, Raphaël, Gaël, Étienne, Clément, "
        "Anatole, Hervé, Noël, Jean-Luc, Aurélien",
        family="Leroy, Roux, Vincent, Lefebvre, Garnier, Boyer, Caron, Perrin, Barbier, Brunet, Renard, "
        "Zola, Lefèvre, Dubois, Moreau, Girard, Rousseau, Fontaine, Chevalier, Bonnet, "
        "Mercier, Lambert, Faure, Blanchard, Durand, Gauthier, Péron, Lemaître, Bérard, Delacroix, "
        "Marchetti",
        places=(
            (
                "France",
                "+33",
                "Paris, Lyon, Marseille, Bordeaux, Nantes, Lille, Grenoble, Montpellier",
            ),
            ("Canada", "+1", "Montréal, Québec"),
            ("Belgium", "+32", "Bruxelles, Liège"),
        ),
    ),
    Culture(  # Spanish and Latin American
        weight=7,
        given_f="Sofía, Lucía, Camila, Valentina, Ximena, Begoña, María José, Inés, Paloma, "
        "Renata, Guadalupe, Maite",
        given_m="Andrés, Martín, Joaquín, Mateo, Iñigo, Nicolás, Julián, Sebastián, Álvaro, "
        "Rodrigo, Diego, Gonzalo",
        family="García, Fernández, López, Martínez, Sánchez, Pérez, Gómez, Rodríguez, Núñez, "
        "Ibáñez, Muñoz, Álvarez, Castillo, Ortega, Herrera, Vidal",
        places=(
            ("Spain", "+34", "Madrid, Barcelona, Sevilla, Valencia, Bilbao, Málaga"),
            ("Mexico", "+52", "Ciudad de México, Guadalajara, Oaxaca"),
            ("Argentina", "+54", "Buenos Aires, Córdoba"),
            ("Colombia", "+57", "Bogotá, Medellín"),
            ("Chile", "+56", "Santiago, Valparaíso"),
        ),
        second_family_share=0.45,
    ),
    Culture(  # Portuguese and Brazilian
        weight=5,
        given_f="Inês, Beatriz, Leonor, Mariana, Larissa, Letícia, Júlia, Fernanda, Lívia, Thaís",
        given_m="João, Gonçalo, Tomás, Luís, Thiago, Caio, Rafael, Vinícius, Duarte, Sebastião",
        family="Silva, Santos, Ferreira, Pereira, Oliveira, Costa, Rodrigues, Gonçalves, "
        "Magalhães, Araújo, Conceição, Carvalho, Sousa, Nascimento",
        places=(
            ("Portugal", "+351", "Lisboa, Porto, Coimbra, Braga"),
            ("Brazil", "+55", "São Paulo, Rio de Janeiro, Belo Horizonte, Recife, Florianópolis"),
        ),
        second_family_share=0.35,
    ),
    Culture(  # German, Austrian, Swiss
        weight=6,
        given_f="Clara, Johanna, Marlene, Greta, Henrike, Svenja, Wiebke, Ursula, "
        "Anna, Lena, Katharina, Sophie, Annika, Jana, Friederike, Mareike, Jördis, Lotte",
        given_m="Niklas, Paul, Sebastian, Matthias, Stefan, Ulrich, Bastian, Konstantin, "
        "Lukas, Felix, Jonas, Jörg, Maximilian, Moritz, Tobias, Jürgen, Henrik, Florian",
        family="Schneider, Fischer, Meyer, Weber, Schulz, Koch, Richter, Klein, Wolf, Neumann, Braun, Jäger, "
        "Müller, Schäfer, Schröder, Weiß, Köhler, Hoffmann, Becker, Wagner, Krüger, "
        "Fuchs, Vogel, Groß, Böhm, Zimmermann, Hartmann",
        places=(
            ("Germany", "+49", "Berlin, Hamburg, München, Köln, Leipzig, Freiburg"),
            ("Austria", "+43", "Wien, Graz"),
            ("Switzerland", "+41", "Zürich, Basel, Bern"),
        ),
    ),
    Culture(  # Italian
        weight=4,
        given_f="Sofia, Aurora, Elisa, Valentina, Beatrice, Caterina, Serena, Ludovica, "
        "Giulia, Chiara, Francesca, Alessia, Martina, Federica, Ilaria, Benedetta",
        given_m="Alessandro, Leonardo, Francesco, Giacomo, Pietro, Federico, Simone, Andrea, "
        "Matteo, Lorenzo, Niccolò, Davide, Tommaso, Riccardo, Gianluca, Edoardo",
        family="Marino, Greco, Bruno, Gallo, Conti, Giordano, Rizzo, Lombardi, Moretti, Barbieri, Fontana, "
        "Rossi, Bianchi, Esposito, Ricci, Romano, Colombo, De Luca, Ferrari, Galli, "
        "Fabbri, Mancini, D'Angelo",
        places=(("Italy", "+39", "Roma, Milano, Torino, Bologna, Napoli, Firenze"),),
    ),
    Culture(  # Dutch
        weight=3,
        given_f="Iris, Roos, Marloes, Esther, Ilse, Merel, "
        "Sanne, Femke, Lotte, Maartje, Fleur, Anouk, Eline, Noor",
        given_m="Lars, Koen, Pieter, Gijs, Stijn, Maarten, "
        "Daan, Bram, Joris, Sem, Thijs, Ruben, Jasper, Wouter",
        family="de Boer, Meijer, de Groot, Bos, Vos, Peters, Hendriks, Dekker, van der Meer, Brouwer, "
        "de Vries, van den Berg, Jansen, Bakker, van Dijk, Visser, de Jong, Smit, Mulder, "
        "van Leeuwen",
        places=(("Netherlands", "+31", "Amsterdam, Rotterdam, Utrecht, Den Haag, Eindhoven"),),
    ),
    Culture(  # Danish
        weight=2,
        given_f="Karen, Pernille, Camilla, Rikke, "
        "Mette, Lærke, Sofie, Frederikke, Ida, Signe, Astrid",
        given_m="Kasper, Troels, Jesper, Nikolaj, "
        "Søren, Jørgen, Mads, Rasmus, Mikkel, Anders, Esben",
        family="Pedersen, Andersen, Christensen, Larsen, Rasmussen, "
        "Jørgensen, Sørensen, Nielsen, Hansen, Kjær, Møller, Lund, Østergaard, Bech",
        places=(("Denmark", "+45", "København, Aarhus, Odense"),),
    ),
    Culture(  # Norwegian
        weight=2,
        given_f="Kari, Synnøve, Hedda, Vilde, Ingrid, Solveig, Sigrid, Ragnhild, Tuva, Maren",
        given_m="Magnus, Torbjørn, Sverre, Jostein, Øystein, Bjørn, Håkon, Eirik, Sindre, Trygve",
        family="Johansen, Olsen, Kristiansen, Bakken, Nygård, "
        "Haugen, Bakke, Dahl, Strand, Solberg, Lie, Hagen, Ødegård, Berg",
        places=(("Norway", "+47", "Oslo, Bergen, Trondheim, Tromsø"),),
    ),
    Culture(  # Swedish
        weight=2,
        given_f="Ebba, Ylva, Astrid, Karin, Åsa, Linnéa, Märta, Elsa, Saga, Maja",
        given_m="Anders, Nils, Olof, Erik, Björn, Göran, Oskar, Linus, Axel, Måns",
        family="Andersson, Karlsson, Nilsson, Bergström, Sjöberg, "
        "Åberg, Lindqvist, Johansson, Söderberg, Ekström, Nyström, Lindgren, Holm",
        places=(("Sweden", "+46", "Stockholm, Göteborg, Malmö, Uppsala"),),
    ),
    Culture(  # Finnish
        weight=1,
        given_f="Aino, Päivi, Sanna, Liisa, Venla",
        given_m="Eino, Jyrki, Mikko, Väinö, Juha",
        family="Virtanen, Korhonen, Mäkinen, Nieminen, Hämäläinen, Järvinen",
        places=(("Finland", "+358", "Helsinki, Tampere, Turku"),),
    ),
    Culture(  # Icelandic: patronymics agree with the person's gender
        weight=1,
        given_f="Guðrún, Sigríður, Þórunn, Björk, Katrín, Hildur, Jóhanna, Ásdís",
        given_m="Ísak, Ólafur, Einar, Ragnar, Kristján, Guðmundur, Þórður, Halldór",
        family="Jónsdóttir/Jónsson, Sigurðardóttir/Sigurðsson, Ólafsdóttir/Ólafsson, "
        "Gunnarsdóttir/Gunnarsson, Einarsdóttir/Einarsson, Magnúsdóttir/Magnússon, "
        "Þórsdóttir/Þórsson, Helgadóttir/Helgason",
        places=(("Iceland", "+354", "Reykjavík, Akureyri"),),
    ),
    Culture(  # Polish
        weight=3,
        given_f="Magdalena, Ewa, Anna, Dorota, "
        "Agnieszka, Małgorzata, Katarzyna, Zofia, Joanna, Weronika, Alicja",
        given_m="Piotr, Tomasz, Marcin, Grzegorz, "
        "Wojciech, Łukasz, Paweł, Michał, Krzysztof, Bartłomiej, Jędrzej",
        family="Kaczmarek, Mazur, Krawczyk, Jabłońska/Jabłoński, Pawlak, "
        "Kowalska/Kowalski, Wiśniewska/Wiśniewski, Nowak, Wójcik, Kamińska/Kamiński, "
        "Lewandowska/Lewandowski, Zielińska/Zieliński, Dąbrowska/Dąbrowski, Woźniak, Grabowska/"
        "Grabowski",
        places=(("Poland", "+48", "Warszawa, Kraków, Wrocław, Gdańsk, Poznań"),),
    ),
    Culture(  # Hungarian: family name first
        weight=1,
        given_f="Zsófia, Réka, Eszter, Dóra, Boglárka",
        given_m="Bence, Gergő, Ádám, Levente, Zoltán",
        family="Nagy, Kovács, Tóth, Szabó, Horváth, Varga, Kiss, Molnár",
        places=(("Hungary", "+36", "Budapest, Debrecen, Szeged"),),
        family_first=True,
    ),
    Culture(  # Greek
        weight=2,
        given_f="Μαρία|Maria, Ελένη|Eleni, Κατερίνα|Katerina, Σοφία|Sofia, Δέσποινα|Despoina",
        given_m="Γιώργος|Giorgos, Νίκος|Nikos, Δημήτρης|Dimitris, Κώστας|Kostas, Άρης|Aris",
        family="Παπαδοπούλου|Papadopoulou/Παπαδόπουλος|Papadopoulos, Γεωργίου|Georgiou, "
        "Οικονόμου|Oikonomou, Νικολάου|Nikolaou, Βλάχου|Vlachou/Βλάχος|Vlachos, "
        "Αντωνίου|Antoniou",
        places=(("Greece", "+30", "Athens, Thessaloniki, Patras, Heraklion"),),
        native_share=0.5,
    ),
    Culture(  # Russian: family names agree with gender
        weight=2,
        given_f="Мария|Maria, Анна|Anna, Ольга|Olga, Екатерина|Ekaterina, Наталья|Natalia, "
        "Татьяна|Tatiana",
        given_m="Иван|Ivan, Дмитрий|Dmitry, Алексей|Alexei, Сергей|Sergei, Михаил|Mikhail, "
        "Никита|Nikita",
        family="Иванова|Ivanova/Иванов|Ivanov, Смирнова|Smirnova/Смирнов|Smirnov, "
        "Кузнецова|Kuznetsova/Кузнецов|Kuznetsov, Попова|Popova/Попов|Popov, "
        "Соколова|Sokolova/Соколов|Sokolov, Лебедева|Lebedeva/Лебедев|Lebedev, "
        "Морозова|Morozova/Морозов|Morozov, Волкова|Volkova/Волков|Volkov",
        places=(
            ("Russia", "+7", "Moscow, Saint Petersburg, Kazan, Novosibirsk"),
            ("Georgia", "+995", "Tbilisi"),
            ("Serbia", "+381", "Belgrade"),
        ),
        native_share=0.6,
    ),
    Culture(  # Ukrainian
        weight=2,
        given_f="Олена|Olena, Оксана|Oksana, Ірина|Iryna, Юлія|Yuliia, Соломія|Solomiia",
        given_m="Тарас|Taras, Андрій|Andrii, Богдан|Bohdan, Дмитро|Dmytro, Остап|Ostap",
        family="Шевченко|Shevchenko, Коваленко|Kovalenko, Бондаренко|Bondarenko, "
        "Ткаченко|Tkachenko, Мельник|Melnyk, Кравченко|Kravchenko, Бойко|Boiko, Лисенко|Lysenko",
        places=(("Ukraine", "+380", "Kyiv, Lviv, Odesa, Kharkiv"),),
        native_share=0.5,
    ),
    Culture(  # Turkish
        weight=2,
        given_f="Merve, Ebru, Seda, Nazlı, Ayşe, Elif, Zeynep, Şule, İrem, Çağla, Gülşen, Defne",
        given_m="Mustafa, Kerem, Serkan, Tolga, "
        "Mehmet, Emre, Burak, Özgür, Gökhan, Oğuz, Barış, Uğur",
        family="Kılıç, Aslan, Çetin, Kara, Özdemir, "
        "Yılmaz, Kaya, Demir, Şahin, Çelik, Öztürk, Aydın, Arslan, Doğan, Koç",
        places=(("Türkiye", "+90", "İstanbul, Ankara, İzmir, Antalya"),),
    ),
    Culture(  # Arabic
        weight=3,
        given_f="أمل|Amal, دينا|Dina, سلمى|Salma, رنا|Rana, "
        "فاطمة|Fatima, ليلى|Layla, مريم|Mariam, نور|Nour, سارة|Sara, هدى|Huda, "
        "ياسمين|Yasmin, رانيا|Rania",
        given_m="حسن|Hassan, علي|Ali, زياد|Ziad, باسل|Basel, "
        "محمد|Mohammed, أحمد|Ahmed, يوسف|Youssef, عمر|Omar, خالد|Khaled, كريم|Karim, "
        "طارق|Tarek, سامي|Sami",
        family="الخطيب|Al-Khatib, عيسى|Issa, الشامي|Al-Shami, داود|Daoud, سليمان|Suleiman, "
        "العلي|Al-Ali, حداد|Haddad, منصور|Mansour, خوري|Khoury, الحسيني|Al-Husseini, "
        "صالح|Saleh, عبد الله|Abdullah, ناصر|Nasser, الفارسي|Al-Farsi, جابر|Jaber",
        places=(
            ("Lebanon", "+961", "Beirut, Tripoli"),
            ("Jordan", "+962", "Amman"),
            ("Egypt", "+20", "Cairo, Alexandria"),
            ("United Arab Emirates", "+971", "Dubai, Abu Dhabi"),
            ("Morocco", "+212", "Casablanca, Marrakech, Rabat"),
        ),
        native_share=0.35,
        middle="محمد|Mohammed, أحمد|Ahmed, عمر|Omar, خالد|Khaled, حسن|Hassan, علي|Ali",
        middle_share=0.2,
    ),
    Culture(  # Persian
        weight=1,
        given_f="Shirin, Parisa, Neda, Laleh, Golnar",
        given_m="Reza, Kian, Arash, Dariush, Babak",
        family="Hosseini, Rahimi, Karimi, Tehrani, Moradi, Ahmadi, Farahani",
        places=(("Iran", "+98", "Tehran, Isfahan, Shiraz"),),
    ),
    Culture(  # Hebrew
        weight=1,
        given_f="נועה|Noa, תמר|Tamar, מיכל|Michal, יעל|Yael, שירה|Shira",
        given_m="יונתן|Yonatan, איתי|Itai, דניאל|Daniel, עומר|Omer, אורי|Uri",
        family="כהן|Cohen, לוי|Levi, מזרחי|Mizrahi, פרץ|Peretz, ביטון|Biton, אברהם|Avraham",
        places=(("Israel", "+972", "Tel Aviv, Jerusalem, Haifa"),),
        native_share=0.25,
    ),
    Culture(  # Indian
        weight=6,
        given_f="Sneha, Riya, Tanvi, Aishwarya, Deepika, Sunita, "
        "प्रिया|Priya, Ananya, Kavya, Aditi, Meera, Lakshmi, Divya, Ishita, Nandini, "
        "Shreya, Pooja, Anjali",
        given_m="Rajesh, Pranav, Aniket, Varun, Krishna, Manoj, "
        "Arjun, Rohan, Vikram, राहुल|Rahul, Siddharth, Karthik, Aarav, Vivek, Aditya, "
        "Harish, Sanjay, Nikhil",
        family="Pillai, Bhat, Kulkarni, Agarwal, Srinivasan, Chopra, Malhotra, Bose, Mukherjee, Pandey, "
        "Sharma, Patel, Iyer, Reddy, Nair, Gupta, Menon, Chatterjee, Banerjee, Rao, "
        "Krishnan, Desai, Mehta, Kapoor, Subramanian, Joshi",
        places=(
            ("India", "+91", "Bengaluru, Mumbai, Delhi, Chennai, Pune, Hyderabad, Kolkata, Kochi"),
        ),
        native_share=0.2,
    ),
    Culture(  # Chinese
        weight=4,
        given_f="丽|Li, 秀英|Xiuying, 慧|Hui, 晓燕|Xiaoyan, 诗涵|Shihan, 思雨|Siyu, "
        "芳|Fang, 静|Jing, 敏|Min, 婷|Ting, 欣怡|Xinyi, 梓涵|Zihan, 雨桐|Yutong, 佳怡|Jiayi",
        given_m="军|Jun, 涛|Tao, 宇航|Yuhang, 博文|Bowen, 建国|Jianguo, 天佑|Tianyou, "
        "伟|Wei, 磊|Lei, 洋|Yang, 浩然|Haoran, 子轩|Zixuan, 俊杰|Junjie, 明|Ming, 志强|Zhiqiang",
        family="徐|Xu, 孙|Sun, 马|Ma, 朱|Zhu, 胡|Hu, 何|He, 高|Gao, 罗|Luo, "
        "王|Wang, 李|Li, 张|Zhang, 刘|Liu, 陈|Chen, 杨|Yang, 黄|Huang, 赵|Zhao, 周|Zhou, 吴|Wu, "
        "林|Lin, 郭|Guo",
        places=(
            ("China", "+86", "Shanghai, Beijing, Shenzhen, Hangzhou, Chengdu"),
            ("Taiwan", "+886", "Taipei"),
            ("Singapore", "+65", "Singapore"),
        ),
        native_share=0.45,
        family_first=True,
        joiner="",
    ),
    Culture(  # Japanese
        weight=3,
        given_f="愛子|Aiko, 真由美|Mayumi, 奈々|Nana, 彩|Aya, "
        "花子|Hanako, 陽菜|Hina, 美咲|Misaki, 結衣|Yui, 葵|Aoi, さくら|Sakura, 由美|Yumi",
        given_m="太郎|Taro, 浩|Hiroshi, 亮|Ryo, 大和|Yamato, "
        "健太|Kenta, 翔|Sho, 大輔|Daisuke, 拓海|Takumi, 蓮|Ren, 悠真|Yuma, 健二|Kenji",
        family="山田|Yamada, 吉田|Yoshida, 山口|Yamaguchi, 松本|Matsumoto, 井上|Inoue, 木村|Kimura, "
        "佐藤|Sato, 鈴木|Suzuki, 高橋|Takahashi, 田中|Tanaka, 伊藤|Ito, 渡辺|Watanabe, "
        "山本|Yamamoto, 中村|Nakamura, 小林|Kobayashi, 加藤|Kato",
        places=(("Japan", "+81", "Tokyo, Osaka, Kyoto, Fukuoka, Sapporo"),),
        native_share=0.5,
        family_first=True,
        joiner="",
    ),
    Culture(  # Korean
        weight=2,
        given_f="지민|Jimin, 서연|Seoyeon, 하은|Haeun, 수빈|Subin, 지우|Jiwoo, 민서|Minseo",
        given_m="민준|Minjun, 도윤|Doyun, 예준|Yejun, 현우|Hyunwoo, 태양|Taeyang, 성민|Sungmin",
        family="김|Kim, 이|Lee, 박|Park, 최|Choi, 정|Jung, 강|Kang, 조|Cho, 윤|Yoon",
        places=(("South Korea", "+82", "Seoul, Busan, Incheon, Daejeon"),),
        native_share=0.4,
        family_first=True,
        joiner="",
    ),
    Culture(  # Vietnamese: family, middle, given
        weight=2,
        given_f="Lan, Hà, Hương, Nhung, Yến, Linh, Phương, Trang, Thảo, Mai",
        given_m="Minh, Bảo, Tuấn, Dũng, Khoa, Long, Hùng, Quân, Huy, Phúc",
        family="Nguyễn, Trần, Lê, Phạm, Hoàng, Vũ, Đặng, Bùi, Đỗ, Ngô",
        places=(("Vietnam", "+84", "Hà Nội, Hồ Chí Minh City, Đà Nẵng, Huế"),),
        family_first=True,
        middle="Thị/Văn, Thị/Văn, Minh, Ngọc/Đức, Thanh, Hồng/Quốc, Thu/Hải",
        middle_share=0.9,
    ),
    Culture(  # Thai
        weight=1,
        given_f="ศิริพร|Siriporn, กัญญา|Kanya, อรอุมา|Onuma, สุดา|Suda",
        given_m="สมชาย|Somchai, ณัฐพงศ์|Nattapong, ธนา|Thana, วีระ|Weera",
        family="ศรีสุข|Srisuk, วงศ์สวัสดิ์|Wongsawat, ชัยพร|Chaiyaporn, รัตนา|Rattana",
        places=(("Thailand", "+66", "Bangkok, Chiang Mai"),),
        native_share=0.3,
    ),
    Culture(  # Ghanaian
        weight=2,
        given_f="Akua, Afia, Yaa, Adjoa, Ama, Akosua, Abena, Efua, Adwoa, Esi",
        given_m="Kwaku, Kobina, Ekow, Nii, Kwame, Kofi, Yaw, Kojo, Kwabena, Kwesi",
        family="Acheampong, Amoah, Darko, Quaye, Tetteh, Nkrumah, "
        "Mensah, Asante, Owusu, Boateng, Osei, Agyeman, Appiah, Ofori",
        places=(("Ghana", "+233", "Accra, Kumasi"),),
    ),
    Culture(  # Nigerian
        weight=3,
        given_f="Chioma, Yetunde, Blessing, Nkechi, Temitope, Aisha, "
        "Amara, Ngozi, Folake, Adaeze, Chiamaka, Funmilayo, Zainab, Ifeoma",
        given_m="Femi, Kelechi, Segun, Uche, Musa, Tobi, "
        "Chinedu, Oluwaseun, Emeka, Tunde, Obinna, Ayodele, Ibrahim, Chukwuemeka",
        family="Ogunleye, Chukwu, Ibekwe, Okeke, Afolabi, Abubakar, Lawal, Nnamdi, "
        "Okafor, Adeyemi, Okonkwo, Nwosu, Balogun, Eze, Adebayo, Okoro, Bello, Olawale",
        places=(("Nigeria", "+234", "Lagos, Abuja, Ibadan, Port Harcourt"),),
    ),
    Culture(  # Kenyan
        weight=2,
        given_f="Akinyi, Wambui, Nafula, Chebet, Wanjiru, Neema, Zawadi, Achieng, Nyokabi, Amani",
        given_m="Kamau, Omondi, Kibet, Mutua, Juma, Baraka, Otieno, Kipchoge, Mwangi, Jabari",
        family="Maina, Kariuki, Onyango, Wafula, Kimani, "
        "Kamau, Odhiambo, Wanjiku, Njoroge, Kiprop, Mutua, Ochieng",
        places=(("Kenya", "+254", "Nairobi, Mombasa, Kisumu"),),
    ),
    Culture(  # Ethiopian
        weight=1,
        given_f="ሰላም|Selam, ሐና|Hana, መቅደስ|Mekdes, ቤተልሔም|Betelhem",
        given_m="ዳዊት|Dawit, ዮናስ|Yonas, አበበ|Abebe, ሚካኤል|Mikael",
        family="ተስፋዬ|Tesfaye, በቀለ|Bekele, ኃይሌ|Haile, ግርማ|Girma",
        places=(("Ethiopia", "+251", "Addis Ababa"),),
        native_share=0.25,
    ),
)

# Where people from anywhere end up living.
EXPAT_PLACES: tuple[tuple[str, str, str], ...] = (
    ("United Kingdom", "+44", "London, Edinburgh"),
    ("Germany", "+49", "Berlin"),
    ("Portugal", "+351", "Lisboa"),
    ("Netherlands", "+31", "Amsterdam"),
    ("Spain", "+34", "Barcelona"),
    ("United States", "+1", "New York, San Francisco"),
    ("Canada", "+1", "Toronto, Montréal"),
    ("Singapore", "+65", "Singapore"),
    ("United Arab Emirates", "+971", "Dubai"),
    ("Australia", "+61", "Melbourne, Sydney"),
    ("Japan", "+81", "Tokyo"),
    ("Kenya", "+254", "Nairobi"),
    ("Mexico", "+52", "Ciudad de México"),
    ("Denmark", "+45", "København"),
)

# Short forms of given names, as the nickname field.
NICKNAMES = {
    "Мария": "Маша",
    "Maria": "Masha",
    "Екатерина": "Катя",
    "Ekaterina": "Katya",
    "Дмитрий": "Дима",
    "Dmitry": "Dima",
    "Михаил": "Миша",
    "Mikhail": "Misha",
    "Алексей": "Лёша",
    "Alexei": "Lyosha",
    "Katharina": "Kathi",
    "Maximilian": "Max",
    "Siddharth": "Sid",
    "Oluwaseun": "Seun",
    "Guðrún": "Gunna",
    "Nicolás": "Nico",
    "Joaquín": "Quino",
    "Sebastián": "Seba",
    "Francesca": "Fra",
    "Chukwuemeka": "Emeka",
    "Funmilayo": "Funmi",
    "Alessia": "Ale",
    "Bartłomiej": "Bartek",
    "Małgorzata": "Gosia",
    "Katarzyna": "Kasia",
    "Wojciech": "Wojtek",
    "Christopher": "Chris",
    "Harriet": "Hattie",
    "Eleanor": "Nell",
    "Dominic": "Dom",
    "Γιώργος": "Γιωργάκης",
    "Giorgos": "Giorgakis",
    "Guadalupe": "Lupe",
    "Friederike": "Frieda",
    "Vinícius": "Vini",
    "Ayodele": "Ayo",
    "Kipchoge": "Kip",
    "Nattapong": "Nat",
}

COMPANIES = (
    "Kestrel Labs",
    "Northwind Studio",
    "Fjord & Pine",
    "Atelier Lumière",
    "Blåbär Design",
    "Sakura Robotics",
    "Banco Horizonte",
    "Mercado Verde",
    "Tidewater Health",
    "Oakleaf Press",
    "Copperline Energy",
    "Quill & Ink",
    "Harbourside Architects",
    "Nimbus Analytics",
    "Brightwater School",
    "Saffron Kitchen",
    "Polaris Mobility",
    "Lindenbaum GmbH",
    "Café Olé Roasters",
    "Grünwald Bikes",
    "Meridian Health Trust",
    "Open Orchard",
    "Papaya Payments",
    "Stellwerk Software",
    "Harambee Learning Collective",
    "Żuraw Studio",
    "Kōen Games",
    "Marlowe & Finch",
    "Seabird Logistics",
    "Hearthstone Bakery",
    "Aurora Biotech",
    "Little Fox Films",
    "Ironbark Consulting",
    "Solstice Travel",
    "Wayfinder Maps",
    "Tessellate",
    "Rivermouth Records",
    "Ember & Oak",
    "Clearwater Legal",
    "Helix Foundation",
    "Cobalt Robotics",
    "Mosaic Media",
    "Paper Crane Publishing",
    "Sunday Supper Club",
    "Kilimanjaro Ventures",
    "Lagoa Surf School",
    "Bergfeld Hospital",
    "Lantern Labs",
)

# Roles seen with a company, and ones that stand on their own.
ROLES = (
    "Product designer",
    "Backend engineer",
    "Head of Marketing",
    "Data scientist",
    "Engineering manager",
    "Founder",
    "Co-founder & CTO",
    "UX researcher",
    "Sales director",
    "Operations lead",
    "Community manager",
    "Account manager",
    "Chief of staff",
    "Software developer",
    "Nurse",
    "Paediatrician",
    "Architect",
    "Head chef",
    "Teacher",
    "Editor",
    "Producer",
    "Lawyer",
    "Product manager",
    "Researcher",
    "Recruiter",
    "Finance director",
    "Policy advisor",
    "Physiotherapist",
    "Site reliability engineer",
    "Art director",
)
SOLO_ROLES = (
    "Freelance photographer",
    "Translator",
    "PhD student",
    "Illustrator",
    "Journalist",
    "Violinist",
    "Independent consultant",
    "Potter",
    "Yoga teacher",
    "Novelist",
    "Retired engineer",
    "Mountain guide",
    "Student",
    "Sommelier",
    "Tattoo artist",
)

INTERESTS = (
    "jazz",
    "climbing",
    "Lisbon",
    "sourdough",
    "chess",
    "running",
    "photography",
    "board games",
    "cycling",
    "poetry",
    "gardening",
    "football",
    "yoga",
    "open source",
    "film noir",
    "sailing",
    "birdwatching",
    "ceramics",
    "Japanese cooking",
    "hiking",
    "podcasts",
    "vinyl records",
    "surfing",
    "natural wine",
    "science fiction",
    "tango",
    "pétanque",
    "Tokyo",
    "marathons",
    "kimchi",
    "Berlin techno",
    "crosswords",
)

HOW_WE_MET = (
    "Met at a conference in {city}.",
    "Worked together at {company}.",
    "University friend.",
    "Old school friend.",
    "From the climbing gym.",
    "Neighbours in {city}.",
    "Introduced by {friend}.",
    "Met through {friend} at a dinner party.",
    "Sat next to each other on a train to {city}.",
    "Sourdough workshop.",
    "Book club.",
    "Hackathon in {city}.",
    "Five-a-side football on Thursdays.",
    "Met on holiday in {city}.",
    "Friend of a friend, at a wedding.",
    "Volunteered together at the food bank.",
    "Mentor from my first job.",
    "Language exchange meetup.",
)

CONTACT_NOTES = (
    "Has two kids.",
    "Vegetarian.",
    "Allergic to peanuts.",
    "Training for a marathon.",
    "Moving to {city} next year.",
    "Prefers Signal to email.",
    "Loves {interest}.",
    "Ask about the new job.",
    "Always recommends good books.",
    "Just adopted a dog.",
    "Learning Portuguese.",
    "Writes a newsletter about {interest}.",
    "Going through a tough time; check in.",
    "Owes me a lunch.",
)

PLACES = (
    "the usual café",
    "the ramen place near the office",
    "their flat",
    "the park",
    "the market",
    "a pub by the river",
    "the climbing gym",
    "a little bistro",
    "the office",
    "a rooftop bar",
    "the bakery on the corner",
    "the museum café",
    "a noodle bar",
)

INTERACTION_NOTES = (
    "Talked about {topic}.",
    "Caught up about {topic}.",
    "Mostly talked about {topic}; promised to send a link.",
    "Long chat about {topic}.",
    "Quick catch-up.",
    "Shared news about work.",
    "Recommended a book on {topic}.",
    "Planning a trip together.",
    "Asked for advice about a job offer.",
    "Celebrated a new job!",
)

TOPICS = (
    "work",
    "the new flat",
    "travel plans",
    "family",
    "a new project",
    "their move",
    "burnout",
    "a side project",
    "the kids",
    "a conference talk",
)
