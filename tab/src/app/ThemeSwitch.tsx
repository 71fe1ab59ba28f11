import { useContext } from 'react';
import {
  Button,
  Menu,
  MenuItemRadio,
  MenuList,
  MenuPopover,
  MenuTrigger,
} from '@fluentui/react-components';
import { useIntl } from 'react-intl';
import { THEME_CHOICES, type ThemeChoice } from './theme';
import { ThemeChooserContext } from './themeChooser';



/** The header's theme menu; nothing inside Teams. */
export function ThemeSwitch() {
  const chooser = useContext(ThemeChooserContext);
  const intl = useIntl();
  if (!chooser) return null;
  return (
    <Menu
      checkedValues={{ theme: [chooser.choice] }}
      onCheckedValueChange={(_, data) => {
        const picked = data.checkedItems[0] as ThemeChoice | undefined;
        if (picked) chooser.choose(picked);
      }}
    >
      <MenuTrigger disableButtonEnhancement>
        <Button appearance="subtle" aria-haspopup="menu">
          {intl.formatMessage({ id: 'theme.menu' })}
        </Button>
      </MenuTrigger>
      <MenuPopover>
        <MenuList aria-label={intl.formatMessage({ id: 'theme.menu' })}>
          {THEME_CHOICES.map((choice) => (
            <MenuItemRadio key={choice} name="theme" value={choice}>
              {intl.formatMessage({ id: `theme.${choice}` })}
            </MenuItemRadio>
          ))}
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}
